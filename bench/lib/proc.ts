/**
 * Child processes under test: the MetaGameplay server and the baselines, each its own Node process. The
 * server runs as in production, built to JavaScript and started with plain `node` (server/scripts/start.mjs
 * builds it first when stale and runs it in the same process); the baselines with `node --import tsx`.
 * Either way the pid we sample is the server itself, not a wrapper. Peak memory is the kernel's high-water mark (VmHWM in
 * /proc/<pid>/status), read just before the process is stopped, so it covers the whole scenario.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const benchRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const repoRoot = path.resolve(benchRoot, '..');

export interface Proc {
  readonly name: string;
  readonly pid: number;
  readonly url: string;
  /** Peak resident set size so far, in MiB (VmHWM); null when /proc is not readable. */
  peakRssMiB(): number | null;
  /** Last lines the process wrote to stderr (for error messages). */
  stderrTail(): string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export function readProcStatus(pid: number, field: 'VmHWM' | 'VmRSS'): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

export interface StartOptions {
  name: string;
  /** The checkout the script runs from (default: this repository). */
  root?: string;
  /** Script path relative to the repository root, run with `node --import tsx` (or plain node). */
  script: string;
  /** Run the script with plain `node` (JavaScript, no TypeScript loader). */
  plainNode?: boolean;
  args?: string[];
  env?: Record<string, string>;
  /** Path polled until it answers 2xx (default /healthz). */
  readyPath?: string;
  /** Write a V8 CPU profile into this directory when the process exits. */
  cpuProfDir?: string;
  timeoutMs?: number;
}

export async function startProcess(options: StartOptions): Promise<Proc> {
  const port = await freePort();
  const nodeArgs = options.plainNode ? [] : ['--import', 'tsx'];
  // Extra flags for every measured process, e.g. `--perf-basic-prof` to read JIT frames with `perf`.
  if (process.env.BENCH_NODE_FLAGS)
    nodeArgs.unshift(...process.env.BENCH_NODE_FLAGS.split(/\s+/).filter(Boolean));
  if (options.cpuProfDir) {
    // One directory per run: tsx's loader thread writes its own (small) profile next to the main one.
    const dir = path.join(options.cpuProfDir, options.name);
    await mkdir(dir, { recursive: true });
    nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${dir}`);
  }
  const child = spawn(process.execPath, [...nodeArgs, options.script, ...(options.args ?? [])], {
    cwd: options.root ?? repoRoot,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      NODE_ENV: 'production',
      PORT: String(port),
      HOST: '127.0.0.1',
      RATE_LIMIT_MAX: '0',
      AUTH_RATE_LIMIT_MAX: '0',
      LOGIN_MAX_FAILURES: '0',
      LOG_LEVEL: 'warn',
      // Sizing the pool is measured by re-running a scenario with another DATABASE_POOL_SIZE.
      ...(process.env.DATABASE_POOL_SIZE ? { DATABASE_POOL_SIZE: process.env.DATABASE_POOL_SIZE } : {}),
      ...options.env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const url = `http://127.0.0.1:${port}`;
  const proc = wrap(options.name, child, url, () => stderr);
  try {
    await waitReady(child, `${url}${options.readyPath ?? '/healthz'}`, options.timeoutMs ?? 60_000);
  } catch (error) {
    await proc.stop();
    throw new Error(`${options.name} did not start: ${(error as Error).message}\n${stderr.trim()}`, {
      cause: error,
    });
  }
  return proc;
}

function wrap(name: string, child: ChildProcess, url: string, stderrTail: () => string): Proc {
  const pid = child.pid ?? -1;
  let lastPeak: number | null = null;
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  return {
    name,
    pid,
    url,
    peakRssMiB() {
      lastPeak = readProcStatus(pid, 'VmHWM') ?? lastPeak;
      return lastPeak;
    },
    stderrTail,
    async stop() {
      lastPeak = readProcStatus(pid, 'VmHWM') ?? lastPeak;
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

async function waitReady(child: ChildProcess, url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`exited with code ${child.exitCode}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1_000) });
      await response.arrayBuffer();
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no answer from ${url} within ${timeoutMs} ms`);
}

/**
 * Another checkout of the server to measure instead of this one (a "before" run: e.g. a git worktree of an
 * earlier commit, with its node_modules); the harness and its baselines stay this repository's.
 */
export const serverRoot = process.env.BENCH_SERVER_ROOT ? path.resolve(process.env.BENCH_SERVER_ROOT) : null;

/** Starts the MetaGameplay server as `npm start` does: server/dist/main.js (built when stale), plain node. */
export function startGameServer(
  name: string,
  env: Record<string, string>,
  cpuProfDir?: string,
): Promise<Proc> {
  return startProcess({
    name,
    script: 'server/scripts/start.mjs',
    root: serverRoot ?? repoRoot,
    plainNode: true,
    env,
    cpuProfDir,
    timeoutMs: 120_000,
  });
}
