/**
 * The real server process (server/src/main.ts through tsx), started with only the environment a test
 * gives it, and small waiting helpers for tests that drive it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import path from 'node:path';
import { repositoryRoot } from '../../src/config';

const tsx = path.join(repositoryRoot, 'node_modules', '.bin', 'tsx');

export interface Running {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Runs `server/src/<script>` with only the given environment (plus PATH and HOME), never the caller's. */
export function startProcess(env: Record<string, string>, script = 'main.ts', args: string[] = []): Running {
  const child = spawn(tsx, [path.join(repositoryRoot, 'server', 'src', script), ...args], {
    cwd: repositoryRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, stdout: () => out, stderr: () => err, exited };
}

export async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export async function waitFor(
  check: () => boolean | Promise<boolean>,
  ms: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Waits until the process answers /healthz on `base`, failing at once if it exits. */
export async function waitHealthy(running: Running, base: string, what: string): Promise<void> {
  await waitFor(
    async () => {
      if (running.child.exitCode !== null) throw new Error(`server exited: ${running.stderr()}`);
      return fetch(`${base}/healthz`).then(
        (r) => r.status === 200,
        () => false,
      );
    },
    90_000,
    what,
  );
}

/** A TCP port free on 127.0.0.1 right now (for a server a test starts as a separate process). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

export interface ServerNode {
  url: string;
  child: ChildProcess;
  exited: Promise<void>;
}

/**
 * The server as a process of its own (node with tsx's loader, not the tsx binary, whose child would
 * outlive a SIGKILL of it) on a free port, answering /healthz. `env` adds to a quiet, unthrottled base.
 */
export async function startServerNode(env: Record<string, string>): Promise<ServerNode> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(repositoryRoot, 'server', 'src', 'main.ts')],
    {
      cwd: repositoryRoot,
      env: {
        PATH: process.env.PATH ?? '',
        PORT: String(port),
        RATE_LIMIT_MAX: '0',
        AUTH_RATE_LIMIT_MAX: '0',
        LOG_LEVEL: 'warn',
        ...env,
      },
      stdio: 'ignore',
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  await waitFor(
    () =>
      fetch(`${url}/healthz`).then(
        (r) => r.status === 200,
        () => false,
      ),
    150_000,
    'the server process to answer /healthz',
  );
  return { url, child, exited };
}
