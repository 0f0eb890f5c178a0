/**
 * The composition root: the one place that turns a Config into a running server. It opens the database
 * (DATABASE_URL's Postgres or the embedded one) and applies migrations, connects the cache, bus, rate-limit,
 * presence and queue stores, then builds each service once with exactly the collaborators it uses (narrow
 * types, passed at construction: nothing is assigned later), lists the background jobs with their intervals
 * from the config, and loads the catalog. The app (app.ts) hands each route plugin the services it uses and
 * starts the jobs when it is ready; main.ts, the CLI and the tests all build through here.
 *
 * Construction order breaks what would be cycles: the battles service is built before the matchmaker (its
 * resolver) and the gateway (its pending challenges), and the gateway gets the matchmaker's `leave` as the
 * callback for a player going offline.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import type { Logger } from 'pino';
import { ConfigError, type Config, redisTargetOf } from './config';
import {
  createEmbeddedDatabase,
  createPostgresDatabase,
  ensureDatabaseExists,
  type Database,
} from './db/client';
import { PGLITE_IMPORTED } from './db/pglite-import';
import { ConsoleService } from './features/admin/console.service';
import { DashboardService, SAMPLE_MS } from './features/admin/dashboard.service';
import { AdminPlayersService } from './features/admin/admin-players.service';
import { AuthService, backfillNicknameSkeletons } from './features/auth/auth.service';
import { BattleService } from './features/battles/battles.service';
import { MatchmakingService } from './features/battles/matchmaking.service';
import { MarketService } from './features/market/market.service';
import { PlayerService } from './features/players/players.service';
import { RealtimeGateway } from './features/realtime/gateway';
import { LobbyService } from './features/realtime/lobby.service';
import { readCatalogFile } from './features/shop/catalog-file';
import { ItemNames } from './features/shop/item-names';
import { ShopService } from './features/shop/shop.service';
import { WalletService } from './features/wallet/wallet.service';
import { createInfra, type Infra } from './infra';
import { type Events, typedEvents } from './infra/events';
import { createLogger } from './infra/logger';
import { Metrics } from './infra/metrics';
import { PasswordHasher } from './infra/password';
import { createJobs, type Jobs } from './jobs';

/** The infrastructure the services are built from (each gets only the pieces it uses). */
export interface Infrastructure extends Omit<Infra, 'close'> {
  config: Config;
  database: Database;
  /** The typed side of `bus`; features publish and subscribe only through it. */
  events: Events;
  metrics: Metrics;
  passwords: PasswordHasher;
  log: FastifyBaseLogger;
  /** Closes the cache, bus, rate-limit, presence and in-flight store connections. */
  closeInfra(): Promise<void>;
}

export interface Services {
  wallet: WalletService;
  auth: AuthService;
  players: PlayerService;
  shop: ShopService;
  admin: ConsoleService;
  dashboard: DashboardService;
  adminPlayers: AdminPlayersService;
  battles: BattleService;
  matchmaking: MatchmakingService;
  market: MarketService;
  realtime: RealtimeGateway;
  lobby: LobbyService;
}

/** A built server: its infrastructure, its services and its background jobs. */
export interface AppContext extends Infrastructure {
  services: Services;
  jobs: Jobs;
}

export interface WireOptions {
  /** False: this node's quick-match pass pairs nobody (players wait; tests of the queue's own rules). */
  resolveMatches?: boolean;
}

export interface BootstrapOptions extends WireOptions {
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
    redis: redisTargetOf(config) ?? undefined,
    keyPrefix: options.redisKeyPrefix,
    log,
    presenceTtlMs: config.presenceTtlMs,
  });
  const ctx = wire(
    {
      config,
      database,
      cache: infra.cache,
      bus: infra.bus,
      events: typedEvents(infra.bus, (channel, problem) =>
        log.warn({ channel, problem }, 'dropped an invalid bus event'),
      ),
      rateLimits: infra.rateLimits,
      inFlight: infra.inFlight,
      presence: infra.presence,
      matchQueue: infra.matchQueue,
      nodeStats: infra.nodeStats,
      metrics: new Metrics({ defaultMetrics: options.defaultMetrics }),
      passwords: new PasswordHasher(options.passwordCost ?? { memoryCost: 19_456, timeCost: 2 }),
      log,
      closeInfra: () => infra.close(),
    },
    options,
  );
  try {
    await ctx.services.shop.syncCatalog(catalog);
  } catch (error) {
    await closeContext(ctx);
    throw error;
  }
  return ctx;
}

/**
 * Builds the services over the infrastructure, each once, and the background jobs. Synchronous and
 * side-effect free apart from the gateway's bus subscriptions; the jobs start only when asked.
 */
export function wire(infra: Infrastructure, options: WireOptions = {}): AppContext {
  const { config, database, cache, events, rateLimits, inFlight, presence, matchQueue, metrics, log } = infra;
  const names = new ItemNames({ database, events });
  const wallet = new WalletService({ database, names, config, metrics, inFlight, events });
  const players = new PlayerService({ database, config, online: presence });
  const shop = new ShopService({ database, cache, events, metrics });
  const auth = new AuthService({
    config,
    database,
    cache,
    events,
    rateLimits,
    metrics,
    passwords: infra.passwords,
    players,
  });
  const lobby = new LobbyService({ presence, database });
  const battles = new BattleService({ wallet, database, presence, events, metrics, config, log });
  const market = new MarketService({ wallet, database, events, config, log, catalog: shop, metrics });
  const matchmaking = new MatchmakingService({
    presence,
    matchQueue,
    players,
    resolver: options.resolveMatches === false ? null : battles,
    log,
  });
  const adminPlayers = new AdminPlayersService({
    database,
    players,
    battles,
    wallet,
    auth,
    events,
    matchQueue,
    catalog: shop,
    config,
    log,
  });
  const realtime = new RealtimeGateway({
    events,
    presence,
    log,
    auth,
    players,
    pendingChallenges: battles,
    onOffline: (playerId) => void matchmaking.leave(playerId).catch(() => undefined),
    authTimeoutMs: config.wsAuthTimeoutMs,
    maxBufferedBytes: config.wsMaxBufferedBytes,
  });

  const dashboard = new DashboardService({
    nodeId: presence.nodeId,
    metrics,
    database,
    cache,
    store: infra.nodeStats,
    onlinePlayers: () => realtime.onlinePlayers,
  });
  const admin = new ConsoleService({ database, shop, dashboard });

  metrics.gauge('websocket_open_sockets', 'WebSockets open on this node', () => realtime.openSockets);
  metrics.gauge('matchmaking_queue_length', 'Players waiting for a quick match (all nodes)', () =>
    matchQueue.length(),
  );

  // Every node runs every job; the database (SKIP LOCKED) and the queue (atomic pops) keep them apart.
  const jobs = createJobs(
    [
      // At start too: stakes a crash left in escrow past their time are refunded after a restart.
      {
        name: 'battle expiry sweep',
        everyMs: config.battleSweepIntervalMs,
        atStart: true,
        run: () => battles.sweep(),
      },
      // At start too: items a crash left in escrow past their time go back after a restart.
      {
        name: 'market expiry sweep',
        everyMs: config.marketSweepIntervalMs,
        atStart: true,
        run: () => market.sweep(),
      },
      { name: 'quick match pass', everyMs: config.matchmakingIntervalMs, run: () => matchmaking.kick() },
      { name: 'websocket heartbeat', everyMs: config.wsHeartbeatMs, run: () => realtime.heartbeat() },
      // At start too: registers this node and sweeps nodes that died while none was running.
      {
        name: 'presence tick',
        everyMs: config.presenceTickMs,
        atStart: true,
        run: () => realtime.tickPresence(),
      },
      {
        name: 'housekeeping',
        everyMs: config.housekeepingIntervalMs,
        run: () => Promise.all([wallet.deleteExpiredKeys(), auth.deleteDeadSessions()]),
      },
      // At start too: a database with months of ledger sums them in the background (seconds for 10M rows),
      // not in the first economy request.
      {
        name: 'economy days',
        everyMs: config.housekeepingIntervalMs,
        atStart: true,
        run: () => admin.rollUp(),
      },
      { name: 'dashboard sample', everyMs: SAMPLE_MS, run: () => dashboard.sample() },
    ],
    log,
  );

  return {
    ...infra,
    services: {
      wallet,
      auth,
      players,
      shop,
      admin,
      dashboard,
      adminPlayers,
      battles,
      matchmaking,
      market,
      realtime,
      lobby,
    },
    jobs,
  };
}

/** Stops the jobs (if the app did not), then closes the infrastructure and the database. */
export async function closeContext(ctx: AppContext): Promise<void> {
  await ctx.jobs.stop();
  await ctx.closeInfra().catch(() => undefined);
  await ctx.database.close();
}

/** The reason a connection failed, in one line and without the password. */
function describeDbError(error: unknown): string {
  const { code, message } = error as { code?: unknown; message?: unknown };
  const text = typeof message === 'string' && message ? message : String(error);
  return (typeof code === 'string' && !text.includes(code) ? `${text} (${code})` : text).split('\n')[0] ?? '';
}
