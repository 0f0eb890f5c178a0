/**
 * Test servers: the real app listening on 127.0.0.1 over embedded PGlite (always) or a fresh Postgres
 * database (when TEST_DATABASE_URL is set), driven over real HTTP with fetch.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { buildApp } from '../../src/app';
import { closeContext, createContext } from '../../src/bootstrap';
import { parseConfig } from '../../src/config';
import type { AppContext } from '../../src/context';

export type Backend = 'pglite' | 'postgres';

/** The backends this run covers: PGlite always, Postgres when TEST_DATABASE_URL is set. */
export const backends: Backend[] = process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

export const FAST_PASSWORDS = { memoryCost: 1024, timeCost: 1 };

export interface TestServer {
  url: string;
  app: FastifyInstance;
  ctx: AppContext;
  databaseUrl: string | null;
  close(): Promise<void>;
}

/** Creates a fresh Postgres database for one test file and returns its URL and a function to drop it. */
export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const base = process.env.TEST_DATABASE_URL;
  if (!base) throw new Error('TEST_DATABASE_URL is not set');
  const name = `mg_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
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
  options: { databaseUrl?: string; dataDir?: string; redisKeyPrefix?: string } = {},
): Promise<TestServer> {
  let dropDatabase: (() => Promise<void>) | null = null;
  let databaseUrl: string | null = null;
  if (backend === 'postgres') {
    if (options.databaseUrl) {
      databaseUrl = options.databaseUrl;
    } else {
      const created = await createTestDatabase();
      databaseUrl = created.url;
      dropDatabase = created.drop;
    }
  }
  const config = parseConfig({
    PORT: '0',
    RATE_LIMIT_MAX: '0',
    AUTH_RATE_LIMIT_MAX: '0',
    LOG_LEVEL: 'silent',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    ...env,
  });
  if (backend === 'pglite') config.dataDir = options.dataDir ?? '';
  const ctx = await createContext(config, {
    passwordCost: FAST_PASSWORDS,
    defaultMetrics: false,
    // Nodes that should share one cache (and hear each other's events) pass the same prefix.
    redisKeyPrefix: options.redisKeyPrefix,
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
