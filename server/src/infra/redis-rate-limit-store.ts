/**
 * RedisRateLimitStore: fixed-window counters shared by all nodes, one round trip per call (a Lua script
 * runs INCR, the PEXPIRE of a new window and PTTL atomically, so no two nodes can both open a window).
 *
 * Fails open, as the RateLimitStore contract asks: with Redis unreachable (or answering too slowly, see the
 * command timeout in redis.ts) hit() returns `{ count: 0, resetAt: now + windowMs }` (count 0 meaning "not
 * counted", which every limit allows), peek() returns null and reset() resolves without effect. The price
 * is that limits and failed-login lockouts are not enforced during an outage, and a reset() lost in an
 * outage leaves a counter to run out its window.
 */
import type { RateLimitStore, WindowCount } from './rate-limit-store.js';
import { closeRedisClient, isReady, LuaScript, type Redis } from './redis.js';

export interface RedisRateLimitStoreOptions {
  keyPrefix?: string;
  /** Unexpected failures (not the fail-fast rejections of an outage). */
  onError?: (err: unknown) => void;
  /** Quit the client on close(); false when the client is shared with other components. */
  ownsClient?: boolean;
  now?: () => number;
}

// A key left without an expiry (should not happen, but would count forever) gets its window back.
const HIT = new LuaScript(`
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return { count, ttl }`);

const PEEK = new LuaScript(`
local count = redis.call('GET', KEYS[1])
if not count then return false end
return { tonumber(count), redis.call('PTTL', KEYS[1]) }`);

export class RedisRateLimitStore implements RateLimitStore {
  readonly kind = 'redis' as const;
  readonly #client: Redis;
  readonly #prefix: string;
  readonly #onError: (err: unknown) => void;
  readonly #ownsClient: boolean;
  readonly #now: () => number;

  constructor(client: Redis, options: RedisRateLimitStoreOptions = {}) {
    this.#client = client;
    this.#prefix = `${options.keyPrefix ?? ''}rl:`;
    this.#onError = options.onError ?? (() => {});
    this.#ownsClient = options.ownsClient ?? false;
    this.#now = options.now ?? Date.now;
  }

  async hit(key: string, windowMs: number): Promise<WindowCount> {
    const window = Math.max(1, Math.round(windowMs));
    if (isReady(this.#client)) {
      try {
        const reply = await HIT.run(this.#client, [this.#prefix + key], [window]);
        const counted = toWindowCount(reply, this.#now());
        if (counted) return counted;
        this.#onError(new Error(`unexpected rate-limit reply: ${JSON.stringify(reply)}`));
      } catch (err) {
        this.#report(err);
      }
    }
    return { count: 0, resetAt: this.#now() + window };
  }

  async peek(key: string): Promise<WindowCount | null> {
    if (!isReady(this.#client)) return null;
    try {
      return toWindowCount(await PEEK.run(this.#client, [this.#prefix + key], []), this.#now());
    } catch (err) {
      this.#report(err);
      return null;
    }
  }

  async reset(key: string): Promise<void> {
    if (!isReady(this.#client)) return;
    try {
      await this.#client.unlink(this.#prefix + key);
    } catch (err) {
      this.#report(err);
    }
  }

  async close(): Promise<void> {
    if (this.#ownsClient) await closeRedisClient(this.#client);
  }

  #report(err: unknown): void {
    if (isReady(this.#client)) this.#onError(err);
  }
}

/** [count, pttl] → WindowCount; null for "no window" (nil reply, or a key that has just expired). */
function toWindowCount(reply: unknown, now: number): WindowCount | null {
  if (!Array.isArray(reply)) return null;
  const [count, ttl] = reply as unknown[];
  if (typeof count !== 'number' || typeof ttl !== 'number' || ttl < 0) return null;
  return { count, resetAt: now + ttl };
}
