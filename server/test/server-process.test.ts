/**
 * The real server process: a bad value stops it with one line and no stack trace; SIGTERM lets a request
 * in flight finish and exits 0; the embedded database survives a restart.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repositoryRoot } from '../src/config';
import { freePort } from './helpers/process';

// ------------------------------------------------------------------------------------------------
// The real process

const tsx = path.join(repositoryRoot, 'node_modules', '.bin', 'tsx');
const mainFile = path.join(repositoryRoot, 'server', 'src', 'main.ts');

interface Running {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts server/src/main.ts with only the given environment (plus PATH), never the caller's. */
function startProcess(env: Record<string, string>): Running {
  const child = spawn(tsx, [mainFile], {
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

async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
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

async function waitFor(check: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const STACK_FRAME = /^\s+at .+/m;

/** The process must stop by itself, non-zero, with one line on stderr that names `variable`. */
async function expectRefusedStart(env: Record<string, string>, variable: string): Promise<string> {
  const started = Date.now();
  const running = startProcess(env);
  const { code } = await within(running.exited, 90_000, `the server to refuse ${variable}`);
  expect(code).not.toBe(0);
  expect(code).not.toBeNull();
  expect(Date.now() - started).toBeLessThan(90_000);
  const stderr = running.stderr();
  expect(stderr.endsWith('\n')).toBe(true);
  const lines = stderr.trimEnd().split('\n');
  expect(lines, stderr).toHaveLength(1);
  expect(lines[0]).toContain(variable);
  expect(stderr).not.toMatch(STACK_FRAME);
  expect(running.stdout()).not.toMatch(STACK_FRAME);
  return lines[0]!;
}

function postJson(
  port: number,
  urlPath: string,
  body: string,
): { request: http.ClientRequest; answer: Promise<{ status: number; text: string }> } {
  const request = http.request({
    host: '127.0.0.1',
    port,
    method: 'POST',
    path: urlPath,
    headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
  });
  const answer = new Promise<{ status: number; text: string }>((resolve, reject) => {
    request.on('response', (response) => {
      let text = '';
      response.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
      response.on('error', reject);
    });
    request.on('error', reject);
  });
  return { request, answer };
}

describe('the server process', () => {
  // Creating an embedded database is the slow part of a start (seconds, more on a busy machine), so one
  // DATA_DIR is created by the first test and copied for the refusals that need a database to get far.
  let dir: string;
  let dataDir: string;
  const started: Running[] = [];
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'mg-process-'));
    dataDir = path.join(dir, 'data');
  });
  afterAll(async () => {
    for (const running of started) if (running.child.exitCode === null) running.child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  async function waitHealthy(running: Running, base: string, what: string): Promise<void> {
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

  it('serves, finishes a request in flight on SIGTERM, exits 0, and keeps its data across a restart', async () => {
    // debug: the log says when a request arrives (at info it says so only when it is answered).
    const env = { DATA_DIR: dataDir, LOG_LEVEL: 'debug', RATE_LIMIT_MAX: '0', AUTH_RATE_LIMIT_MAX: '0' };
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const first = startProcess({ ...env, PORT: String(port) });
    started.push(first);
    await waitHealthy(first, base, '/healthz');

    const nickname = 'Survivor_1';
    const password = 'correct horse battery';
    const registered = await fetch(`${base}/api/v1/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ nickname, password }),
    });
    expect(registered.status).toBe(201);
    const session = (await registered.json()) as { loginBonus: number; player: { balance: number } };

    // A login whose headers have arrived but whose body has not: it is in flight when SIGTERM lands.
    const body = JSON.stringify({ nickname, password });
    const login = postJson(port, '/api/v1/auth/login', body);
    login.request.write(body.slice(0, 5));
    await waitFor(() => first.stdout().includes('/api/v1/auth/login'), 10_000, 'the login to arrive');
    first.child.kill('SIGTERM');
    await waitFor(() => first.stdout().includes('shutting down'), 10_000, 'the shutdown to begin');
    // New connections are refused while the old request is still open.
    await expect(fetch(`${base}/healthz`)).rejects.toThrow();
    login.request.end(body.slice(5));
    const answer = await within(login.answer, 10_000, 'the in-flight login');
    expect(answer.status, answer.text).toBe(200);
    const loggedIn = JSON.parse(answer.text) as { loginBonus: number; player: { balance: number } };
    expect(loggedIn.player.balance).toBe(session.loginBonus + loggedIn.loginBonus);
    const exit = await within(first.exited, 15_000, 'the graceful exit');
    expect(exit).toEqual({ code: 0, signal: null });
    expect(first.stderr()).toBe('');

    // Same DATA_DIR, new process: the pilot, its balance and its ledger are still there.
    const second = startProcess({ ...env, PORT: String(port) });
    started.push(second);
    await waitHealthy(second, base, '/healthz after the restart');
    const again = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ nickname, password }),
    });
    expect(again.status).toBe(200);
    const restored = (await again.json()) as {
      token: string;
      loginBonus: number;
      player: { balance: number };
    };
    expect(restored.player.balance).toBe(loggedIn.player.balance + restored.loginBonus);
    const history = await fetch(`${base}/api/v1/me/transactions`, {
      headers: { authorization: `Bearer ${restored.token}` },
    });
    const ledger = (await history.json()) as { transactions: { type: string; amount: number }[] };
    expect(ledger.transactions.map((t) => t.type)).toEqual(['login_bonus', 'login_bonus', 'login_bonus']);
    expect(ledger.transactions.reduce((sum, t) => sum + t.amount, 0)).toBe(restored.player.balance);

    second.child.kill('SIGTERM');
    expect(await within(second.exited, 15_000, 'the second graceful exit')).toEqual({
      code: 0,
      signal: null,
    });
  }, 180_000);

  it('refuses PORT=abc, a missing ITEMS_FILE and a 3-decimal price, each with one line naming the variable', async () => {
    // The catalog is read after the database opens: give each refusal its own copy of a ready DATA_DIR.
    const copy = async (name: string) => {
      const target = path.join(dir, name);
      // Leave out the sockets of a Postgres that did not stop cleanly (they cannot be copied).
      const notSocket = (source: string) => !path.basename(source).startsWith('.s.PGSQL');
      if (existsSync(dataDir)) await cp(dataDir, target, { recursive: true, filter: notSocket });
      return target;
    };
    const missing = path.join(dir, 'no-such-items.json');
    const decimals = path.join(dir, 'three-decimals.json');
    await writeFile(decimals, JSON.stringify([{ name: 'Laser', price: 10.125, power: 1 }]));
    const [port, missingFile, threeDecimals] = await Promise.all([
      expectRefusedStart({ PORT: 'abc', DATA_DIR: path.join(dir, 'unused') }, 'PORT'),
      copy('missing').then((d) =>
        expectRefusedStart({ PORT: '0', DATA_DIR: d, ITEMS_FILE: missing, LOG_LEVEL: 'warn' }, 'ITEMS_FILE'),
      ),
      copy('decimals').then((d) =>
        expectRefusedStart({ PORT: '0', DATA_DIR: d, ITEMS_FILE: decimals, LOG_LEVEL: 'warn' }, 'ITEMS_FILE'),
      ),
    ]);
    expect(port).toMatch(/^Invalid configuration: PORT /);
    expect(missingFile).toBe(`Invalid configuration: ITEMS_FILE does not exist: ${missing}`);
    expect(threeDecimals).toContain('price');
    expect(threeDecimals).toContain(decimals);
  }, 180_000);
});
