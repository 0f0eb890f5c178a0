/**
 * Runs once before all tests. Starts ONE embedded Postgres for the run (in a temporary directory, tuned for
 * speed over durability) and hands its URL to the test files, which each create their own database there:
 * `npm test` on a fresh clone needs nothing installed. When TEST_DATABASE_URL is set, also checks that
 * that Postgres answers, so a missing server fails the run with one clear line instead of many timeouts.
 * See helpers/server.ts.
 *
 * Redis: TEST_REDIS_URL's when set; else a redis-server child of this run on a free port when one is
 * installed; else the Redis suites skip, and this says why in one line (infra/redis-helpers.ts).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { connect } from 'node:net';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../src/db/embedded';
import { freePort } from './helpers/process';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Admin URL (database `postgres`) of the run's embedded Postgres. */
    embeddedDatabaseUrl: string;
    /** The Redis of the run (TEST_REDIS_URL or a redis-server child), or null when there is none. */
    redisUrl: string | null;
    /** The redis-server binary, for tests that start (and kill) a private one; null when not installed. */
    redisServer: string | null;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const url = process.env.TEST_DATABASE_URL;
  if (url) {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
    } catch (error) {
      throw new Error(`TEST_DATABASE_URL is set but Postgres does not answer: ${(error as Error).message}`, {
        cause: error,
      });
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  const dir = await mkdtemp(path.join(tmpdir(), 'mg-test-pg-'));
  const embedded = await startEmbeddedPostgres(dir, {
    database: 'postgres',
    fastInit: true,
    settings: {
      fsync: 'off',
      synchronous_commit: 'off',
      full_page_writes: 'off',
      max_connections: '500',
      shared_buffers: '64MB',
    },
  });
  project.provide('embeddedDatabaseUrl', embedded.url);
  const redisServer = findRedisServer();
  let redis: ChildProcess | null = null;
  let redisUrl = process.env.TEST_REDIS_URL ?? null;
  if (!redisUrl && redisServer) {
    const port = await freePort();
    redis = spawn(
      redisServer,
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      {
        cwd: dir,
        stdio: 'ignore',
      },
    );
    await untilListening(port, redis);
    redisUrl = `redis://127.0.0.1:${port}`;
  } else if (!redisUrl) {
    console.warn(
      'Redis suites skipped: TEST_REDIS_URL is unset and no redis-server is installed (apt-get install redis-server).',
    );
  }
  project.provide('redisUrl', redisUrl);
  project.provide('redisServer', redisServer);
  return async () => {
    redis?.kill('SIGKILL');
    await embedded.stop();
    await rm(dir, { recursive: true, force: true });
  };
}

function findRedisServer(): string | null {
  try {
    return execFileSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}

/** Resolves once the child accepts connections on port; rejects when it exits first or takes over 10 s. */
async function untilListening(port: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error('redis-server did not listen within 10 s');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
