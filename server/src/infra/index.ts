/**
 * Infrastructure wiring: Redis-backed cache, event bus and rate limits when a Redis URL is configured
 * (N nodes), in-process twins otherwise (one node, `npm start` with no configuration).
 *
 * With Redis a node opens four connections: one for commands (rate limits, publish), one that Redis
 * dedicates to subscriptions, and the cache's own two: its commands, with client-side caching tracking
 * on (redis-tracking.ts), and the connection Redis sends that tracking's invalidation messages to (and
 * that the cache's read fences PING). Nothing here waits for Redis: start-up succeeds while Redis is down,
 * the components behave as documented for an outage, and they recover when it comes back.
 */
import { type Cache, MemoryCache } from './cache.js';
import { type EventBus, LocalEventBus } from './event-bus.js';
import { type InFlightLimiter, MemoryInFlightLimiter } from './in-flight.js';
import { type MatchQueue, MemoryMatchQueue } from './match-queue.js';
import { MemoryNodeStatsStore, type NodeStatsStore } from './node-stats.js';
import { MemoryPresence, type Presence } from './presence.js';
import { MemoryRateLimitStore, type RateLimitStore } from './rate-limit-store.js';
import { type OutageLogger, RedisOutageLog } from './outage-log.js';
import { closeRedisClient, createRedisClient, type RedisTarget } from './redis.js';
import { RedisCache } from './redis-cache.js';
import { RedisEventBus } from './redis-event-bus.js';
import { RedisInFlightLimiter } from './redis-in-flight.js';
import { RedisMatchQueue } from './redis-match-queue.js';
import { RedisNodeStatsStore } from './redis-node-stats.js';
import { RedisPresence } from './redis-presence.js';
import { RedisRateLimitStore } from './redis-rate-limit-store.js';

export interface InfraOptions {
  /** A URL (redis://127.0.0.1:6379) or Sentinels; absent → in-process implementations. */
  redis?: RedisTarget;
  /** Prefix of every Redis key and channel, so several deployments (or test runs) can share one Redis. */
  keyPrefix?: string;
  /** Redis connection errors and dropped events; meant for the logger. */
  onError?: (e: unknown) => void;
  /**
   * Where an outage is reported, once at its start and end with rate-limited reminders (see
   * outage-log.ts); when set, onError is not called for Redis errors.
   */
  log?: OutageLogger;
  /** How long a node counts as alive without renewing its presence heartbeat. */
  presenceTtlMs?: number;
}

export interface Infra {
  cache: Cache;
  bus: EventBus;
  rateLimits: RateLimitStore;
  inFlight: InFlightLimiter;
  presence: Presence;
  matchQueue: MatchQueue;
  /** Every node's recent figures, for the console's dashboard. */
  nodeStats: NodeStatsStore;
  close(): Promise<void>;
}

export function createInfra(options: InfraOptions = {}): Infra {
  const { redis, log } = options;
  if (!redis) {
    const cache = new MemoryCache();
    const bus = new LocalEventBus(
      log ? (err) => log.warn({ err }, 'an event subscriber failed') : options.onError,
    );
    const rateLimits = new MemoryRateLimitStore();
    const inFlight = new MemoryInFlightLimiter();
    const presence = new MemoryPresence({ ttlMs: options.presenceTtlMs });
    return {
      cache,
      bus,
      rateLimits,
      inFlight,
      presence,
      matchQueue: new MemoryMatchQueue(),
      nodeStats: new MemoryNodeStatsStore(),
      async close() {
        await Promise.all([
          cache.close(),
          bus.close(),
          rateLimits.close(),
          inFlight.close(),
          presence.close(),
        ]);
      },
    };
  }

  const keyPrefix = options.keyPrefix ?? 'mg:';
  const outage = log ? new RedisOutageLog(log) : null;
  const onError = outage ? (err: unknown) => outage.componentError(err) : options.onError;
  const clientOptions = outage
    ? { onError: (err: Error) => outage.connectionError(err), onReady: () => outage.ready() }
    : onError
      ? { onError }
      : {};
  const commands = createRedisClient(redis, {
    ...clientOptions,
    connectionName: 'metagameplay',
    autoPipelining: true,
  });
  const sub = createRedisClient(redis, { ...clientOptions, connectionName: 'metagameplay-sub' });
  const cache = new RedisCache(
    createRedisClient(redis, { ...clientOptions, connectionName: 'metagameplay-cache' }),
    {
      keyPrefix,
      onError,
      ownsClient: true,
      // Local copies kept coherent by Redis invalidations (redis-tracking.ts). A copy is used only after a
      // fence on this connection (a PING answered behind every invalidation queued before it), so a write
      // acknowledged on any node is never followed by a stale read here.
      invalidations: createRedisClient(redis, {
        ...clientOptions,
        connectionName: 'metagameplay-invalidations',
      }),
    },
  );
  const bus = new RedisEventBus({ pub: commands, sub, keyPrefix, onError });
  const rateLimits = new RedisRateLimitStore(commands, { keyPrefix, onError });
  const inFlight = new RedisInFlightLimiter(commands, { keyPrefix, onError });
  const presence = new RedisPresence(commands, { keyPrefix, onError, ttlMs: options.presenceTtlMs });
  return {
    cache,
    bus,
    rateLimits,
    inFlight,
    presence,
    matchQueue: new RedisMatchQueue(commands, { keyPrefix }),
    nodeStats: new RedisNodeStatsStore(commands, { keyPrefix }),
    async close() {
      // The components let go of the shared client first; the bus closes its own subscriber.
      await Promise.all([cache.close(), bus.close(), rateLimits.close(), inFlight.close(), presence.close()]);
      await closeRedisClient(commands);
    },
  };
}

export type { BackendStatus, Cache } from './cache.js';
export type { EventBus, EventHandler } from './event-bus.js';
export type { InFlightLimiter } from './in-flight.js';
export type { MatchQueue, QueueEntry } from './match-queue.js';
export type { Presence } from './presence.js';
export type { RateLimitStore, WindowCount } from './rate-limit-store.js';
export { CacheUnavailableError } from './redis-cache.js';
