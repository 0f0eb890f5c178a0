/**
 * Turns a Config into a running AppContext: opens the database (DATABASE_URL's Postgres or the embedded one), applies
 * migrations, connects the cache/bus/rate-limit stores, builds the services once, and loads the catalog.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, type Config } from './config';
import type { AppContext } from './context';
import {
  createEmbeddedDatabase,
  createPostgresDatabase,
  ensureDatabaseExists,
  type Database,
} from './db/client';
import { PGLITE_IMPORTED } from './db/pglite-import';
import { backfillNicknameSkeletons } from './features/auth/auth.service';
import { readCatalogFile } from './features/shop/catalog-file';
import type { Logger } from 'pino';
import { createInfra } from './infra';
import { typedEvents } from './infra/events';
import { createLogger } from './infra/logger';
import { Metrics } from './infra/metrics';
import { PasswordHasher } from './infra/password';
import { createServices } from './services';

export interface BootstrapOptions {
  /** Argon2 cost; tests lower it, production keeps the OWASP defaults. */
  passwordCost?: { memoryCost: number; timeCost: number };
  defaultMetrics?: boolean;
  /** Prefix of Redis keys and channels (tests isolate themselves with it). */
  redisKeyPrefix?: string;
  /** The logger (tests capture lines with one); by default createLogger(config.logLevel). */
  logger?: Logger;
}

/**
 * DATABASE_URL's Postgres (its database created when missing), or the embedded Postgres of DATA_DIR.
 * A DATABASE_URL that cannot be reached fails with a ConfigError naming the variable.
 */
export async function openDatabase(
  config: Config,
  options: { onNotice?: (message: string) => void } = {},
): Promise<Database> {
  let database: Database;
  if (config.databaseUrl) {
    try {
      await ensureDatabaseExists(config.databaseUrl);
    } catch (error) {
      throw new ConfigError('DATABASE_URL', `does not lead to a usable database: ${describeDbError(error)}`);
    }
    database = createPostgresDatabase(config.databaseUrl, { poolSize: config.databasePoolSize });
  } else {
    database = await createEmbeddedDatabase(config.dataDir, {
      ...options,
      poolSize: config.databasePoolSize,
    });
    const earlier = path.join(config.dataDir, 'pglite');
    if (
      existsSync(path.join(earlier, 'PG_VERSION')) &&
      !existsSync(path.join(config.dataDir, PGLITE_IMPORTED))
    ) {
      options.onNotice?.(
        `${earlier} holds the data of an earlier version (PGlite), not used any more: stop the server and import it with npm run admin -- import-pglite ${earlier}`,
      );
    }
  }
  try {
    await database.migrate();
  } catch (error) {
    await database.close().catch(() => undefined);
    throw error;
  }
  return database;
}

export async function createContext(config: Config, options: BootstrapOptions = {}): Promise<AppContext> {
  const log = options.logger ?? createLogger(config.logLevel);
  // The catalog file is checked before the database opens, so a bad file fails start-up at once.
  const catalog = await readCatalogFile(config.itemsFile);
  const database = await openDatabase(config, { onNotice: (message) => log.warn(message) });
  await backfillNicknameSkeletons(database.db, log);
  // Redis trouble is logged and survived (the API serves from Postgres); it never stops the server.
  const infra = createInfra({
    redisUrl: config.redisUrl ?? undefined,
    keyPrefix: options.redisKeyPrefix,
    log,
    presenceTtlMs: config.presenceTtlMs,
  });
  const base = {
    config,
    database,
    cache: infra.cache,
    bus: infra.bus,
    events: typedEvents(infra.bus),
    rateLimits: infra.rateLimits,
    inFlight: infra.inFlight,
    presence: infra.presence,
    matchQueue: infra.matchQueue,
    metrics: new Metrics({ defaultMetrics: options.defaultMetrics }),
    passwords: new PasswordHasher(options.passwordCost ?? { memoryCost: 19_456, timeCost: 2 }),
    log,
    closeInfra: () => infra.close(),
  };
  // Services are built once here and shared by the app, main.ts and the command line.
  const ctx: AppContext = { ...base, services: createServices(base) };
  try {
    await ctx.services.shop.syncCatalog(catalog);
  } catch (error) {
    await closeContext(ctx);
    throw error;
  }
  return ctx;
}

export async function closeContext(ctx: AppContext): Promise<void> {
  await ctx.closeInfra().catch(() => undefined);
  await ctx.database.close();
}

/** The reason a connection failed, in one line and without the password. */
function describeDbError(error: unknown): string {
  const { code, message } = error as { code?: unknown; message?: unknown };
  const text = typeof message === 'string' && message ? message : String(error);
  return (typeof code === 'string' && !text.includes(code) ? `${text} (${code})` : text).split('\n')[0] ?? '';
}
