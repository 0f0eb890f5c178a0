/**
 * The Database: one Drizzle handle over a node-postgres pool, on the Postgres of DATABASE_URL or on the
 * embedded Postgres the server starts in DATA_DIR (db/embedded/). One engine, one code path.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import { migrate as migrateNodePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { createDatabaseIfMissing, startEmbeddedPostgres } from './embedded';
import * as schema from './schema';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** Anything a repository can run a query on: the database itself or an open transaction. */
export type Executor = Db | Tx;

export interface Database {
  /** `embedded`: the Postgres this process started in DATA_DIR; `postgres`: DATABASE_URL's. */
  readonly kind: 'postgres' | 'embedded';
  /** The connection URL (with its password): for tools that open their own connection (backup). */
  readonly url: string;
  readonly db: Db;
  /**
   * Runs one statement prepared by name: on Postgres it is parsed and planned once per connection, and
   * each call is one round trip. For the hot money moves (features/wallet).
   */
  query<R>(statement: PreparedStatement): Promise<R[]>;
  /** Applies the committed migrations (serialized across nodes by an advisory lock). */
  migrate(): Promise<void>;
  /** True when the database answers a trivial query within the timeout. */
  ping(timeoutMs?: number): Promise<boolean>;
  close(): Promise<void>;
}

export interface PreparedStatement {
  /** Unique per statement text: Postgres keeps the plan under this name on each connection. */
  name: string;
  text: string;
  values: unknown[];
}

export const migrationsFolder = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../drizzle');

// Postgres returns int8 as text to protect precision; every amount we store is far below 2^53
// (MAX_MONEY), so reading them as numbers is exact.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

const MIGRATION_LOCK_ID = 727_001;

export function createPostgresDatabase(url: string, options: { poolSize?: number } = {}): Database {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 20,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
  });
  // An idle client losing its connection (database restart) must not crash the process; the pool
  // replaces it and the next query reports the outage as a 503.
  pool.on('error', () => {});
  const db = drizzleNodePg(pool, { schema }) as unknown as Db;
  return {
    kind: 'postgres',
    url,
    db,
    query: async <R>(statement: PreparedStatement) =>
      (await pool.query<R & pg.QueryResultRow>(statement)).rows as R[],
    async migrate() {
      const client = await pool.connect();
      try {
        await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
        await migrateNodePg(drizzleNodePg(client, { schema }), { migrationsFolder });
      } finally {
        await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]).catch(() => undefined);
        client.release();
      }
    },
    ping: (timeoutMs = 2_000) =>
      withTimeout(
        pool.query('SELECT 1').then(() => true),
        timeoutMs,
      ),
    close: () => pool.end(),
  };
}

/**
 * The embedded default: starts (or creates) the PostgreSQL of DATA_DIR and opens a pool on it; closing the
 * database stops that Postgres.
 */
export async function createEmbeddedDatabase(
  dataDir: string,
  options: { onNotice?: (message: string) => void; poolSize?: number } = {},
): Promise<Database> {
  const embedded = await startEmbeddedPostgres(dataDir, { onNotice: options.onNotice });
  const database = createPostgresDatabase(embedded.url, { poolSize: options.poolSize });
  return {
    ...database,
    kind: 'embedded',
    close: async () => {
      try {
        await database.close();
      } finally {
        await embedded.stop();
      }
    },
  };
}

/**
 * Connects once to the database of `url`, creating it when the server answers that it does not exist
 * (a fresh Postgres has only `postgres`). Connection errors are thrown as they come.
 */
export async function ensureDatabaseExists(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return;
  } catch (error) {
    if ((error as { code?: string }).code !== '3D000') throw error;
  } finally {
    await client.end().catch(() => undefined);
  }
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = '/postgres';
  await createDatabaseIfMissing(admin.toString(), name);
}

async function withTimeout(check: Promise<boolean>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([check.catch(() => false), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Reads the rows of a raw `db.execute(sql…)` result, which node-postgres returns as `{ rows }`. */
export function rowsOf<T>(result: unknown): T[] {
  return (result as { rows: T[] }).rows;
}

/**
 * Errors that mean "no usable primary now", answered 503 with Retry-After: the connection is gone (reset,
 * refused, 08xxx), the server is shutting down or starting (57P0x), too many connections (53300), or the
 * connection landed on a standby after a failover (25006 read_only_sql_transaction) until HAProxy
 * sends new ones to the new primary.
 */
const UNAVAILABLE_CODES = new Set([
  '25006',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  '57P01',
  '57P02',
  '57P03',
  '53300',
]);

/** True when an error means the database cannot be reached (a 503), not that a query was wrong. */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && (UNAVAILABLE_CODES.has(code) || code.startsWith('08'))) return true;
    if (
      typeof message === 'string' &&
      /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(
        message,
      )
    )
      return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/** The Postgres error code (SQLSTATE) and constraint of a failed query, looking through wrappers. */
export function pgErrorOf(error: unknown): { code?: string; constraint?: string } {
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    const { code, constraint } = e as { code?: unknown; constraint?: unknown };
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) {
      return { code, constraint: typeof constraint === 'string' ? constraint : undefined };
    }
    e = (e as { cause?: unknown }).cause;
  }
  return {};
}
