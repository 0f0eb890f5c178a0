/**
 * Configuration, parsed once at start-up from the environment into a typed object. Nothing else in the
 * server reads process.env. A bad value throws ConfigError naming the variable; main.ts prints that one
 * line and exits non-zero.
 */
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { DEFAULT_BATTLE_BASE_STRENGTH } from '@metagameplay/protocol';
import type { RedisTarget } from './infra/redis';

export interface Config {
  port: number;
  host: string;
  databaseUrl: string | null;
  /** Connections each node keeps to Postgres (node-postgres pool). */
  databasePoolSize: number;
  dataDir: string;
  redisUrl: string | null;
  /** REDIS_SENTINELS: Sentinels naming the Redis primary (instead of REDIS_URL), and the name they watch. */
  redisSentinels: { host: string; port: number }[] | null;
  redisSentinelName: string;
  loginBonusMin: number; // credits
  loginBonusMax: number; // credits
  loginBonusCooldownSeconds: number;
  sellPricePercent: number;
  /** Money moves one player may have running at once (on all nodes together); more get 429. */
  moneyMovesInFlightMax: number;
  sessionTtlHours: number;
  battleChallengeTtlSeconds: number;
  /** BATTLE_BASE_STRENGTH: every pilot's strength besides its items (B), fixed on each new battle. */
  battleBaseStrength: number;
  /** MARKET_FEE_PERCENT: what the market keeps of a sale's price (rounded down), the economy's sink. */
  marketFeePercent: number;
  /** MARKET_LISTING_TTL_SECONDS: how long a listing stays on sale before its item goes back. */
  marketListingTtlSeconds: number;
  marketSweepIntervalMs: number;
  /** WebSocket: time to authenticate by message, ping interval, send-buffer bound (see features/realtime). */
  wsAuthTimeoutMs: number;
  wsHeartbeatMs: number;
  wsMaxBufferedBytes: number;
  /** A node whose presence heartbeat is this old counts as dead: its players go offline. */
  presenceTtlMs: number;
  /** Background jobs (bootstrap.ts starts them): how often each runs on every node. */
  presenceTickMs: number;
  battleSweepIntervalMs: number;
  matchmakingIntervalMs: number;
  /** Forgetting idempotency keys past their retention and sessions a day past their end. */
  housekeepingIntervalMs: number;
  itemsFile: string;
  /** The built browser game (web/dist), served at `/`; a fallback page says how to build it when missing. */
  webDistDir: string;
  rateLimitMax: number;
  authRateLimitMax: number;
  loginMaxFailures: number;
  loginLockMinutes: number;
  /** Failed logins for one nickname from all addresses together before it is locked for everyone. */
  loginNicknameMaxFailures: number;
  bodyLimitBytes: number;
  /** How long a request may take to arrive, headers and body (slow or stalled clients are cut off). */
  requestTimeoutMs: number;
  /** When set, GET /metrics needs `Authorization: Bearer <token>`. */
  metricsToken: string | null;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  trustProxy: boolean;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    reason: string,
  ) {
    // One line whatever the value holds: control characters (a newline in an env value) are escaped.
    super(
      `Invalid configuration: ${variable} ${reason}`.replace(
        /[\p{Cc}\u2028\u2029]/gu,
        (c) => `\\u${(c.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`,
      ),
    );
    this.name = 'ConfigError';
  }
}

const serverRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const repositoryRoot = path.resolve(serverRoot, '..');
export const defaultItemsFile = path.join(serverRoot, 'initial_items.json');

type Env = Record<string, string | undefined>;

function text(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = text(env, name);
  if (raw === undefined) return fallback;
  if (!/^-?\d+$/.test(raw)) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max)
    throw new ConfigError(name, `must be between ${min} and ${max}, got ${raw}`);
  return value;
}

function url(env: Env, name: string, protocols: string[]): string | null {
  const raw = text(env, name);
  if (raw === undefined) return null;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(name, 'is not a valid URL');
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(name, `must start with ${protocols.map((p) => `${p}//`).join(' or ')}`);
  }
  return raw;
}

/** `host:port,host:port,...`: at least one, each a host name or address and a port. */
function sentinels(env: Env): { host: string; port: number }[] | null {
  const raw = text(env, 'REDIS_SENTINELS');
  if (raw === undefined) return null;
  return raw.split(',').map((entry) => {
    const match = /^\s*([\w.-]+|\[[0-9a-fA-F:]+\]):(\d{1,5})\s*$/.exec(entry);
    const port = Number(match?.[2]);
    if (!match?.[1] || !(port >= 1 && port <= 65535)) {
      throw new ConfigError(
        'REDIS_SENTINELS',
        `must be host:port entries separated by commas, got "${entry}"`,
      );
    }
    return { host: match[1].replace(/^\[|\]$/g, ''), port };
  });
}

function redisSentinelName(env: Env): string {
  const name = text(env, 'REDIS_SENTINEL_NAME') ?? 'mymaster';
  if (!/^[\w.-]{1,64}$/.test(name)) {
    throw new ConfigError('REDIS_SENTINEL_NAME', `is not a Sentinel master name: "${name}"`);
  }
  return name;
}

/** Where the nodes find Redis (URL or Sentinels), or null for the in-process implementations. */
export function redisTargetOf(config: Config): RedisTarget | null {
  if (config.redisSentinels) return { sentinels: config.redisSentinels, name: config.redisSentinelName };
  return config.redisUrl;
}

function metricsToken(env: Env): string | null {
  const token = text(env, 'METRICS_TOKEN');
  if (token === undefined) return null;
  if (!/^[\x21-\x7E]{16,256}$/.test(token)) {
    throw new ConfigError('METRICS_TOKEN', 'must be 16..256 printable ASCII characters without spaces');
  }
  return token;
}

/** The embedded Postgres allows 60 connections (db/embedded/); the admin CLI and tests need a few. */
const EMBEDDED_POOL_MAX = 50;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export function parseConfig(env: Env): Config {
  const loginBonusMin = integer(env, 'LOGIN_BONUS_MIN', 10, 0, 1_000_000);
  const loginBonusMax = integer(env, 'LOGIN_BONUS_MAX', 20, 0, 1_000_000);
  if (loginBonusMax < loginBonusMin) {
    throw new ConfigError(
      'LOGIN_BONUS_MAX',
      `must not be below LOGIN_BONUS_MIN (${loginBonusMin}), got ${loginBonusMax}`,
    );
  }
  const databasePoolSize = integer(env, 'DATABASE_POOL_SIZE', 20, 1, 1_000);
  if (env.DATABASE_URL === undefined && databasePoolSize > EMBEDDED_POOL_MAX) {
    throw new ConfigError(
      'DATABASE_POOL_SIZE',
      `must be at most ${EMBEDDED_POOL_MAX} on the embedded database (it takes 60 connections), got ${databasePoolSize}`,
    );
  }
  const logLevel = text(env, 'LOG_LEVEL') ?? 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);
  }
  const host = text(env, 'HOST') ?? '127.0.0.1';
  if (!/^[\w.:-]+$/.test(host)) throw new ConfigError('HOST', `is not a host name or address: "${host}"`);
  const presenceTtlMs = integer(env, 'PRESENCE_TTL_MS', 15_000, 200, 300_000);
  // Renewed three times per TTL by default, so one late tick never makes a live node look dead.
  const presenceTickMs = integer(
    env,
    'PRESENCE_TICK_MS',
    Math.max(50, Math.floor(presenceTtlMs / 3)),
    50,
    300_000,
  );
  if (presenceTickMs >= presenceTtlMs) {
    throw new ConfigError(
      'PRESENCE_TICK_MS',
      `must be below PRESENCE_TTL_MS (${presenceTtlMs}), got ${presenceTickMs}`,
    );
  }
  const trustProxy = text(env, 'TRUST_PROXY') ?? 'false';
  if (trustProxy !== 'true' && trustProxy !== 'false')
    throw new ConfigError('TRUST_PROXY', 'must be true or false');

  const redisUrl = url(env, 'REDIS_URL', ['redis:', 'rediss:']);
  const redisSentinels = sentinels(env);
  if (redisUrl && redisSentinels) {
    throw new ConfigError('REDIS_SENTINELS', 'and REDIS_URL are both set: set one of them');
  }

  return {
    port: integer(env, 'PORT', 8080, 0, 65535),
    host,
    databaseUrl: url(env, 'DATABASE_URL', ['postgres:', 'postgresql:']),
    databasePoolSize,
    dataDir: path.resolve(text(env, 'DATA_DIR') ?? path.join(repositoryRoot, 'data')),
    redisUrl,
    redisSentinels,
    redisSentinelName: redisSentinelName(env),
    loginBonusMin,
    loginBonusMax,
    loginBonusCooldownSeconds: integer(env, 'LOGIN_BONUS_COOLDOWN_SECONDS', 0, 0, 31_536_000),
    sellPricePercent: integer(env, 'SELL_PRICE_PERCENT', 100, 0, 100),
    moneyMovesInFlightMax: integer(env, 'MONEY_MOVES_IN_FLIGHT_MAX', 4, 1, 1000),
    sessionTtlHours: integer(env, 'SESSION_TTL_HOURS', 24, 1, 8760),
    battleChallengeTtlSeconds: integer(env, 'BATTLE_CHALLENGE_TTL_SECONDS', 60, 5, 86_400),
    // At least 1: with B = 0 a pilot of power 0 would lose every battle for certain.
    battleBaseStrength: integer(env, 'BATTLE_BASE_STRENGTH', DEFAULT_BATTLE_BASE_STRENGTH, 1, 1_000_000),
    marketFeePercent: integer(env, 'MARKET_FEE_PERCENT', 5, 0, 100),
    marketListingTtlSeconds: integer(env, 'MARKET_LISTING_TTL_SECONDS', 259_200, 1, 31_536_000),
    marketSweepIntervalMs: integer(env, 'MARKET_SWEEP_INTERVAL_MS', 5_000, 50, 3_600_000),
    wsAuthTimeoutMs: integer(env, 'WS_AUTH_TIMEOUT_MS', 5_000, 50, 60_000),
    wsHeartbeatMs: integer(env, 'WS_HEARTBEAT_MS', 10_000, 50, 60_000),
    wsMaxBufferedBytes: integer(env, 'WS_MAX_BUFFERED_BYTES', 1024 * 1024, 1024, 256 * 1024 * 1024),
    presenceTtlMs,
    presenceTickMs,
    battleSweepIntervalMs: integer(env, 'BATTLE_SWEEP_INTERVAL_MS', 1_000, 50, 3_600_000),
    matchmakingIntervalMs: integer(env, 'MATCHMAKING_INTERVAL_MS', 1_000, 50, 3_600_000),
    housekeepingIntervalMs: integer(env, 'HOUSEKEEPING_INTERVAL_MS', 3_600_000, 1_000, 86_400_000),
    itemsFile: path.resolve(text(env, 'ITEMS_FILE') ?? defaultItemsFile),
    webDistDir: path.resolve(text(env, 'WEB_DIST_DIR') ?? path.join(repositoryRoot, 'web', 'dist')),
    rateLimitMax: integer(env, 'RATE_LIMIT_MAX', 1200, 0, 10_000_000),
    authRateLimitMax: integer(env, 'AUTH_RATE_LIMIT_MAX', 30, 0, 10_000_000),
    loginMaxFailures: integer(env, 'LOGIN_MAX_FAILURES', 5, 0, 1000),
    loginLockMinutes: integer(env, 'LOGIN_LOCK_MINUTES', 10, 1, 1440),
    loginNicknameMaxFailures: integer(env, 'LOGIN_NICKNAME_MAX_FAILURES', 50, 0, 1_000_000),
    bodyLimitBytes: integer(env, 'BODY_LIMIT_BYTES', 16 * 1024, 1024, 10 * 1024 * 1024),
    requestTimeoutMs: integer(env, 'REQUEST_TIMEOUT_MS', 30_000, 100, 600_000),
    metricsToken: metricsToken(env),
    logLevel: logLevel as Config['logLevel'],
    trustProxy: trustProxy === 'true',
  };
}
