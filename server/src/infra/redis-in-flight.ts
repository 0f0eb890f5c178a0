/**
 * RedisInFlightLimiter: the per-key bound shared by every node. A slot is a counter increment, taken
 * and checked atomically by a Lua script (one round trip), given back by a decrement. The counter
 * carries an expiry renewed at each acquire, so slots of a node that died holding them come back within
 * HOLD_MS. With Redis unreachable, the bound falls back to this node's own counts (never unbounded,
 * never refused for the outage's sake).
 */
import type { InFlightLimiter } from './in-flight.js';
import { MemoryInFlightLimiter } from './in-flight.js';
import { isReady, LuaScript, type Redis } from './redis.js';

/** Longer than any money move may take (the database statement timeout is far below it). */
const HOLD_MS = 30_000;

const ACQUIRE = new LuaScript(`
local held = redis.call('INCR', KEYS[1])
if held > tonumber(ARGV[1]) then
  redis.call('DECR', KEYS[1])
  return 0
end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1`);

const RELEASE = new LuaScript(`
local held = redis.call('DECR', KEYS[1])
if held <= 0 then redis.call('DEL', KEYS[1]) end
return held`);

export class RedisInFlightLimiter implements InFlightLimiter {
  readonly kind = 'redis' as const;
  readonly #client: Redis;
  readonly #prefix: string;
  readonly #onError: (err: unknown) => void;
  readonly #local = new MemoryInFlightLimiter();

  constructor(client: Redis, options: { keyPrefix?: string; onError?: (err: unknown) => void } = {}) {
    this.#client = client;
    this.#prefix = `${options.keyPrefix ?? ''}inflight:`;
    this.#onError = options.onError ?? (() => {});
  }

  async acquire(key: string, max: number): Promise<(() => void) | null> {
    if (isReady(this.#client)) {
      const redisKey = this.#prefix + key;
      try {
        const taken = await ACQUIRE.run(this.#client, [redisKey], [max, HOLD_MS]);
        if (taken !== 1) return null;
        let released = false;
        return () => {
          if (released) return;
          released = true;
          RELEASE.run(this.#client, [redisKey], []).catch((err: unknown) => this.#report(err));
        };
      } catch (err) {
        this.#report(err);
      }
    }
    return this.#local.acquire(key, max);
  }

  close(): Promise<void> {
    return this.#local.close();
  }

  #report(err: unknown): void {
    if (isReady(this.#client)) this.#onError(err);
  }
}
