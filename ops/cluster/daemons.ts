/**
 * Long-lived processes of the local HA topology: each is started detached (it outlives `cluster up`), in
 * its own process group, its output in DIR/logs/<name>.log, and waited for until it answers. `cluster down`
 * stops them by the pids written in cluster.json, never by name, so only what `up` started is touched.
 */
import { type SpawnOptions, spawn } from 'node:child_process';
import { mkdirSync, openSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface Daemon {
  name: string;
  pid: number;
}

/** Starts `command args` detached, as `user` when given (Postgres never runs as root). */
export function startDaemon(
  dir: string,
  name: string,
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; user?: string } = {},
): Daemon {
  const logs = path.join(dir, 'logs');
  mkdirSync(logs, { recursive: true });
  const log = openSync(path.join(logs, `${name}.log`), 'a');
  // setpriv execs the command itself (no wrapper process), so the pid is the daemon's own.
  const [file, argv] = options.user
    ? [
        'setpriv',
        [`--reuid=${options.user}`, `--regid=${options.user}`, '--init-groups', '--', command, ...args],
      ]
    : [command, args];
  const spawnOptions: SpawnOptions = {
    detached: true,
    stdio: ['ignore', log, log],
    env: options.env ?? process.env,
    cwd: options.cwd ?? dir,
  };
  const child = spawn(file, argv, spawnOptions);
  child.unref();
  if (!child.pid) throw new Error(`${name}: ${command} did not start`);
  return { name, pid: child.pid };
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Polls `check` every 100 ms until it is true; fails naming `what` and its log after `timeoutMs`. */
export async function until(
  what: string,
  check: () => Promise<boolean> | boolean,
  timeoutMs: number,
  daemon?: Daemon,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await Promise.resolve(check()).catch(() => false)) return;
    if (daemon && !isAlive(daemon.pid))
      throw new Error(`${what}: ${daemon.name} exited (see logs/${daemon.name}.log)`);
    if (Date.now() > deadline) throw new Error(`${what}: not within ${Math.round(timeoutMs / 1000)} s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export async function httpStatus(url: string, timeoutMs = 1_000): Promise<number> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return 0;
  }
}

/** One Redis command over a plain socket (RESP), for probes that need no client library. */
export async function redisCommand(port: number, ...args: string[]): Promise<string> {
  const request = `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`;
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let answer = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error('redis: no answer'));
    }, 1_000);
    socket.once('connect', () => socket.write(request));
    socket.on('data', (chunk) => {
      answer += chunk.toString('utf8');
      if (answer.endsWith('\r\n')) {
        clearTimeout(timer);
        socket.destroy();
        resolve(answer);
      }
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
export async function stopPid(pid: number, graceMs = 10_000): Promise<void> {
  if (!isAlive(pid)) return;
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  const deadline = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  if (isAlive(pid)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }
}
