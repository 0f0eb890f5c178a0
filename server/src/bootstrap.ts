/**
 * Turns a Config into a running AppContext: opens the database (Postgres or embedded PGlite), applies
 * migrations, connects the cache/bus/rate-limit stores, builds the services once, and loads the catalog.
 */
import type { Config } from './config';
import type { AppContext } from './context';
import { createPgliteDatabase, createPostgresDatabase, type Database } from './db/client';
import { readCatalogFile } from './features/shop/catalog-file';
import { pino } from 'pino';
import { createInfra } from './infra';
import { typedEvents } from './infra/events';
import { Metrics } from './infra/metrics';
import { PasswordHasher } from './infra/password';
import { createServices } from './services';

export interface BootstrapOptions {
  /** Argon2 cost; tests lower it, production keeps the OWASP defaults. */
  passwordCost?: { memoryCost: number; timeCost: number };
  defaultMetrics?: boolean;
  /** Prefix of Redis keys and channels (tests isolate themselves with it). */
  redisKeyPrefix?: string;
}

export async function openDatabase(config: Config): Promise<Database> {
  const database = config.databaseUrl
    ? createPostgresDatabase(config.databaseUrl)
    : await createPgliteDatabase(config.dataDir);
  try {
    await database.migrate();
  } catch (error) {
    await database.close().catch(() => undefined);
    throw error;
  }
  return database;
}

export async function createContext(config: Config, options: BootstrapOptions = {}): Promise<AppContext> {
  const log = pino({ level: config.logLevel, redact: ['req.headers.authorization', 'req.headers.cookie'] });
  // The catalog file is checked before the database opens, so a bad file fails start-up at once.
  const catalog = await readCatalogFile(config.itemsFile);
  const database = await openDatabase(config);
  // Redis trouble is logged and survived (the API serves from Postgres); it never stops the server.
  const infra = createInfra({
    redisUrl: config.redisUrl ?? undefined,
    keyPrefix: options.redisKeyPrefix,
    onError: (error) => log.warn({ err: error }, 'redis'),
  });
  const base = {
    config,
    database,
    cache: infra.cache,
    bus: infra.bus,
    events: typedEvents(infra.bus),
    rateLimits: infra.rateLimits,
    inFlight: infra.inFlight,
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
