/**
 * Redis connections for the infrastructure twins (cache, event bus, rate limits).
 *
 * Redis is a helper, never the truth (ARCHITECTURE.md, principle 2), so every client built here fails fast
 * instead of waiting for Redis: a command issued while the connection is down is rejected at once
 * (`enableOfflineQueue: false`), commands in flight when the connection drops are rejected at the first
 * close rather than replayed after a reconnect (`maxRetriesPerRequest: 0`,
 * `autoResendUnfulfilledCommands: false`: a replayed DEL or SET could land after the outage and after
 * whatever the caller did in the meantime), and a hung server costs at most `commandTimeoutMs`. Meanwhile
 * the client reconnects forever with capped exponential backoff, so an outage heals by itself.
 */
import { createHash } from 'node:crypto';
import { Redis, type RedisOptions } from 'ioredis';

export type { Redis } from 'ioredis';

export interface RedisClientOptions {
  /** Every 'error' event lands here (ioredis would print "Unhandled error event" without a listener). */
  onError?: (err: Error) => void;
  /** The connection is ready for commands (at first and after every reconnect). */
  onReady?: () => void;
  /** Upper bound for a single command on a connection that looks alive but does not answer. */
  commandTimeoutMs?: number;
  connectTimeoutMs?: number;
  /** Cap of the reconnect backoff (50 ms, 100 ms, 200 ms … up to this). */
  maxReconnectDelayMs?: number;
  /** Shown by CLIENT LIST, which helps when several nodes share one Redis. */
  connectionName?: string;
  /**
   * Send the commands issued in one turn of the event loop together, in one write (ioredis auto-pipelining):
   * under load, many requests' commands (a money move's slot release and its `balance` publish, other
   * requests' slots) then cost one system call and one Redis read instead of one each. Not for a
   * subscriber connection, nor for the invalidation connection whose PING must follow what came before it.
   */
  autoPipelining?: boolean;
}

/**
 * Where Redis is: a URL, or Sentinels that name the current primary of `name` (REDIS_SENTINELS). With
 * Sentinels, ioredis asks them on every (re)connection, so a promotion is followed like a reconnect.
 */
export type RedisTarget = string | { sentinels: { host: string; port: number }[]; name: string };

export function createRedisClient(target: RedisTarget, opts: RedisClientOptions = {}): Redis {
  const maxDelay = opts.maxReconnectDelayMs ?? 2_000;
  const backoff = (attempt: number) => Math.min(50 * 2 ** Math.min(attempt, 16), maxDelay);
  const options: RedisOptions = {
    // ioredis 6 speaks RESP3 unless told: we keep RESP2, which every Redis we support answers, which our
    // invalidation connection is written for (CLIENT TRACKING … REDIRECT to a pub/sub subscriber) and
    // which sends no HELLO per connection.
    protocol: 2,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    // The event bus re-subscribes by itself on 'ready': ioredis only remembers channels whose SUBSCRIBE
    // succeeded, so a subscription attempted during an outage would otherwise be lost forever.
    autoResubscribe: false,
    commandTimeout: opts.commandTimeoutMs ?? 1_000,
    connectTimeout: opts.connectTimeoutMs ?? 2_000,
    retryStrategy: backoff,
    ...(opts.connectionName === undefined ? {} : { connectionName: opts.connectionName }),
    ...(opts.autoPipelining ? { enableAutoPipelining: true } : {}),
  };
  const client =
    typeof target === 'string'
      ? new Redis(target, options)
      : new Redis({
          ...options,
          sentinels: target.sentinels,
          name: target.name,
          role: 'master',
          sentinelRetryStrategy: backoff,
          // A primary demoted by a failover answers writes with READONLY until this connection moves:
          // reconnect (asking the Sentinels again) rather than fail every write until the next drop.
          reconnectOnError: (err: Error) => (err.message.startsWith('READONLY') ? 1 : false),
        });
  client.on('error', (err: Error) => opts.onError?.(err));
  if (opts.onReady) client.on('ready', opts.onReady);
  return client;
}

/** True when the client can take commands now (not connecting, reconnecting or closed). */
export function isReady(client: Redis): boolean {
  return client.status === 'ready';
}

/**
 * Closes a client without waiting on a dead server: QUIT when connected (lets replies in flight arrive),
 * otherwise drop the socket and stop reconnecting.
 */
export async function closeRedisClient(client: Redis): Promise<void> {
  if (client.status === 'end') return;
  if (isReady(client)) {
    try {
      await client.quit();
      return;
    } catch {
      // Fall through: the connection died while quitting.
    }
  }
  client.disconnect(false);
}

/** A Lua script sent by SHA1 (one round trip), with the body sent once more when Redis has not seen it. */
export class LuaScript {
  readonly #sha: string;

  constructor(readonly lua: string) {
    this.#sha = createHash('sha1').update(lua).digest('hex');
  }

  async run(client: Redis, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown> {
    try {
      return await client.evalsha(this.#sha, keys.length, ...keys, ...args);
    } catch (err) {
      // NOSCRIPT: first use on this server, or the server restarted and lost its script cache.
      if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
      return client.eval(this.lua, keys.length, ...keys, ...args);
    }
  }
}
