/** What every feature is built from: configuration and the infrastructure behind its interfaces. */
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from './config';
import type { Database } from './db/client';
import type { PasswordHasher } from './features/auth/password';
import type { Cache } from './infra/cache';
import type { EventBus } from './infra/event-bus';
import type { MatchQueue } from './infra/match-queue';
import type { Presence } from './infra/presence';
import type { RateLimitStore } from './infra/rate-limit-store';
import type { Metrics } from './plugins/metrics';

export interface AppContext {
  config: Config;
  database: Database;
  cache: Cache;
  bus: EventBus;
  rateLimits: RateLimitStore;
  /** Who holds a WebSocket on any node (features/realtime). */
  presence: Presence;
  /** Players waiting for a quick match (features/realtime). */
  matchQueue: MatchQueue;
  metrics: Metrics;
  passwords: PasswordHasher;
  log: FastifyBaseLogger;
  /** Closes the cache, bus and rate-limit store connections. */
  closeInfra(): Promise<void>;
}
