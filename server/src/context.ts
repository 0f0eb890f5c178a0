/**
 * What every feature is built from: configuration, the infrastructure behind its interfaces, and the
 * services, built once per process (services.ts) and shared by the HTTP routes, main.ts and the CLI.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from './config';
import type { Database } from './db/client';
import type { Cache } from './infra/cache';
import type { EventBus } from './infra/event-bus';
import type { Events } from './infra/events';
import type { InFlightLimiter } from './infra/in-flight';
import type { Metrics } from './infra/metrics';
import type { PasswordHasher } from './infra/password';
import type { MatchQueue } from './infra/match-queue';
import type { Presence } from './infra/presence';
import type { RateLimitStore } from './infra/rate-limit-store';
import type { Services } from './services';

/** The infrastructure services are built from. */
export interface ServiceContext {
  config: Config;
  database: Database;
  cache: Cache;
  /** The raw bus; features use `events`, its typed side. */
  bus: EventBus;
  events: Events;
  rateLimits: RateLimitStore;
  inFlight: InFlightLimiter;
  /** Who holds a WebSocket on any node (features/realtime). */
  presence: Presence;
  /** Players waiting for a quick match (features/realtime). */
  matchQueue: MatchQueue;
  metrics: Metrics;
  passwords: PasswordHasher;
  log: FastifyBaseLogger;
  /** Closes the cache, bus, rate-limit and in-flight store connections. */
  closeInfra(): Promise<void>;
}

export interface AppContext extends ServiceContext {
  services: Services;
}
