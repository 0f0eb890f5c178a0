/**
 * Test servers: the real app listening on 127.0.0.1, each over a fresh database of its own, driven over
 * real HTTP with fetch. Backends: `embedded`, the run's embedded Postgres (started once by global-setup.ts,
 * always there), and `postgres`, the external server of TEST_DATABASE_URL (when set).
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { inject } from 'vitest';
import { buildApp } from '../../src/app';
import { type AppContext, closeContext, createContext } from '../../src/bootstrap';
import { parseConfig } from '../../src/config';

export type Backend = 'embedded' | 'postgres';

/** The backends this run covers: the embedded Postgres always, the external one when TEST_DATABASE_URL is set. */
export const backends: Backend[] = process.env.TEST_DATABASE_URL ? ['embedded', 'postgres'] : ['embedded'];

/**
 * The backend of the suites that run once, not once per backend (several nodes, outages, crashes, the
 * command line): the external Postgres when TEST_DATABASE_URL is set, else the embedded one.
 */
export const sharedBackend: Backend = process.env.TEST_DATABASE_URL ? 'postgres' : 'embedded';

/** The admin URL of a backend's server (each test file creates its own database there). */
export function serverUrlOf(backend: Backend): string {
  if (backend === 'embedded') return inject('embeddedDatabaseUrl');
  const base = process.env.TEST_DATABASE_URL;
  if (!base) throw new Error('TEST_DATABASE_URL is not set');
  return base;
}

export const FAST_PASSWORDS = { memoryCost: 1024, timeCost: 1 };

export interface TestServer {
  url: string;
  app: FastifyInstance;
  ctx: AppContext;
  databaseUrl: string | null;
  close(): Promise<void>;
}

/**
 * Creates a fresh database for one test file on a backend (the external Postgres unless told) and returns
 * its URL and a function to drop it.
 */
export async function createTestDatabase(
  backend: Backend = sharedBackend,
): Promise<{ url: string; drop(): Promise<void> }> {
  const base = serverUrlOf(backend);
  const name = `mg_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  // The embedded server's URL names its Unix socket in `host=`: kept as it is.
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: base });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

export async function startServer(
  backend: Backend,
  env: Record<string, string> = {},
  options: { databaseUrl?: string; redisKeyPrefix?: string; resolveMatches?: boolean } = {},
): Promise<TestServer> {
  let dropDatabase: (() => Promise<void>) | null = null;
  let databaseUrl: string;
  if (options.databaseUrl) {
    databaseUrl = options.databaseUrl;
  } else {
    const created = await createTestDatabase(backend);
    databaseUrl = created.url;
    dropDatabase = created.drop;
  }
  const config = parseConfig({
    PORT: '0',
    RATE_LIMIT_MAX: '0',
    AUTH_RATE_LIMIT_MAX: '0',
    LOG_LEVEL: 'silent',
    DATABASE_URL: databaseUrl,
    ...env,
  });
  const ctx = await createContext(config, {
    passwordCost: FAST_PASSWORDS,
    defaultMetrics: false,
    // Nodes that should share one cache (and hear each other's events) pass the same prefix.
    redisKeyPrefix: options.redisKeyPrefix,
    resolveMatches: options.resolveMatches,
  });
  const app = await buildApp(ctx, { logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    app,
    ctx,
    databaseUrl,
    async close() {
      await app.close();
      await closeContext(ctx);
      if (dropDatabase) await dropDatabase();
    },
  };
}
