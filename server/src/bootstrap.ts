/**
 * Turns a Config into a running AppContext: opens the database (Postgres or embedded PGlite), applies
 * migrations, connects the cache/bus/rate-limit store, and loads the catalog file.
 */
import type { Config } from './config';
import type { AppContext } from './context';
import { createPgliteDatabase, createPostgresDatabase, type Database } from './db/client';
import { PasswordHasher } from './features/auth/password';
import { ShopService } from './features/shop/shop.service';
import { PlayerService } from './features/players/players.service';
import { MemoryCache } from './infra/cache';
import { LocalEventBus } from './infra/event-bus';
import { MemoryRateLimitStore } from './infra/rate-limit-store';
import { Metrics } from './plugins/metrics';

export interface BootstrapOptions {
  /** Argon2 cost; tests lower it, production keeps the OWASP defaults. */
  passwordCost?: { memoryCost: number; timeCost: number };
  defaultMetrics?: boolean;
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
  const database = await openDatabase(config);
  const ctx: AppContext = {
    config,
    database,
    cache: new MemoryCache(),
    bus: new LocalEventBus(),
    rateLimits: new MemoryRateLimitStore(),
    metrics: new Metrics({ defaultMetrics: options.defaultMetrics }),
    passwords: new PasswordHasher(options.passwordCost ?? { memoryCost: 19_456, timeCost: 2 }),
  };
  try {
    await new ShopService(ctx, new PlayerService(ctx)).syncCatalogFile();
  } catch (error) {
    await closeContext(ctx);
    throw error;
  }
  return ctx;
}

export async function closeContext(ctx: AppContext): Promise<void> {
  await Promise.allSettled([ctx.cache.close(), ctx.bus.close(), ctx.rateLimits.close()]);
  await ctx.database.close();
}
