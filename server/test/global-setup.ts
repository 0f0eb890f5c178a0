/**
 * Runs once before all tests. Starts ONE embedded Postgres for the run (in a temporary directory, tuned for
 * speed over durability) and hands its URL to the test files, which each create their own database there:
 * `npm test` on a fresh clone needs nothing installed. When TEST_DATABASE_URL is set, also checks that
 * that Postgres answers, so a missing server fails the run with one clear line instead of many timeouts.
 * See helpers/server.ts.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../src/db/embedded';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Admin URL (database `postgres`) of the run's embedded Postgres. */
    embeddedDatabaseUrl: string;
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
      throw new Error(`TEST_DATABASE_URL is set but Postgres does not answer: ${(error as Error).message}`);
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
  return async () => {
    await embedded.stop();
    await rm(dir, { recursive: true, force: true });
  };
}
