/**
 * Turns a Config into a running AppContext: opens the database (Postgres or embedded PGlite), applies
 * migrations, connects the cache/bus/rate-limit store, and loads the catalog file.
 */
import type { Config } from './config';
import type { AppContext } from './context';
import { createPgliteDatabase, createPostgresDatabase, type Database } from './db/client';
import { backfillNicknameSkeletons } from './features/auth/auth.service';
import { PasswordHasher } from './features/auth/password';
import { readCatalogFile } from './features/shop/catalog-file';
import { ShopService } from './features/shop/shop.service';
import { PlayerService } from './features/players/players.service';
import type { Logger } from 'pino';
import { createInfra } from './infra';
import { createLogger } from './infra/logger';
import { Metrics } from './plugins/metrics';

export interface BootstrapOptions {
  /** Argon2 cost; tests lower it, production keeps the OWASP defaults. */
  passwordCost?: { memoryCost: number; timeCost: number };
  defaultMetrics?: boolean;
  /** Prefix of Redis keys and channels (tests isolate themselves with it). */
  redisKeyPrefix?: string;
  /** The logger (tests capture lines with one); by default createLogger(config.logLevel). */
  logger?: Logger;
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
  const log = options.logger ?? createLogger(config.logLevel);
  // The catalog file is checked before the database opens, so a bad file fails start-up at once.
  const catalog = await readCatalogFile(config.itemsFile);
  const database = await openDatabase(config);
  await backfillNicknameSkeletons(database.db, log);
  // Redis trouble is logged and survived (the API serves from Postgres); it never stops the server.
  const infra = createInfra({
    redisUrl: config.redisUrl ?? undefined,
    keyPrefix: options.redisKeyPrefix,
    log,
  });
  const ctx: AppContext = {
    config,
    database,
    cache: infra.cache,
    bus: infra.bus,
    rateLimits: infra.rateLimits,
    metrics: new Metrics({ defaultMetrics: options.defaultMetrics }),
    passwords: new PasswordHasher(options.passwordCost ?? { memoryCost: 19_456, timeCost: 2 }),
    log,
    closeInfra: () => infra.close(),
  };
  try {
    await new ShopService(ctx, new PlayerService(ctx)).syncCatalog(catalog);
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
