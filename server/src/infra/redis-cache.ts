/**
 * RedisCache: the Cache shared by all nodes.
 *
 * Failure behaviour: while Redis is unreachable get() misses and set() does nothing, both without waiting
 * (see redis.ts for the fail-fast client); del() resolves; incr() throws CacheUnavailableError, since no
 * number it could return would be right.
 *
 * Stale entries after an outage: a del() or incr() that fails leaves an entry in Redis that its caller
 * meant to remove or supersede, and a Redis that restarts from a snapshot or fails over to a lagging
 * replica brings back entries deleted since. So every key lives under a generation: data key =
 * `<prefix>c:<generation>:<key>`, and the generation is read inside the same Lua script as the command,
 * which keeps each call one round trip and lets a bump made by one node take effect on every node at once.
 * A bump (a fresh value from Redis's own clock) orphans everything cached before it; orphans expire with
 * their TTL. This node bumps the generation
 * - after any del() or incr() of its own failed;
 * - on every reconnect (commands in flight when the connection dropped may or may not have run);
 * - on first connect when Redis's run_id differs from the one recorded with the generation (Redis
 *   restarted, possibly from an older snapshot, or a replica took over).
 * Between losing the connection and a successful bump the node is "fenced": reads miss, sets are skipped
 * and status() says 'down'. A flush of our prefix (SCAN + UNLINK) would do the same job but costs time
 * proportional to the key count and races with other nodes' writes; a bump is O(1) and atomic.
 * Trade-offs: every bump empties the cache for all nodes; a node cut off from Redis (while Redis stays up
 * for the others) cannot bump until it reconnects, so the others may serve an entry it failed to delete
 * until then. Counters (incr) belong to the generation too: after a bump they restart at 1, so use them only
 * to version other keys of this cache, never as identities. Counters expire `counterTtlMs` after their last
 * increment (so orphaned generations do not leak); keep the TTL of entries keyed by a counter below it.
 * Needs Redis >= 5 (scripts that write after reading TIME) and a single Redis, not Cluster (data keys are
 * computed inside the scripts).
 */
import type { BackendStatus, Cache } from './cache.js';
import { closeRedisClient, isReady, LuaScript, type Redis } from './redis.js';

export class CacheUnavailableError extends Error {
  constructor(cause: unknown) {
    super('cache backend unavailable', { cause });
    this.name = 'CacheUnavailableError';
  }
}

export interface RedisCacheOptions {
  /** Namespace of every key we touch, e.g. 'mg:'. */
  keyPrefix?: string;
  counterTtlMs?: number;
  /** Unexpected failures (not the fail-fast rejections of an outage, which status() already reports). */
  onError?: (err: unknown) => void;
  /** Quit the client on close(); false when the client is shared with other components. */
  ownsClient?: boolean;
}

// KEYS[1] is the generation key; ARGV[1] the data-key prefix. A missing generation (first use, or the key
// was evicted) is created from Redis's clock, so a generation value is never reused.
const GENERATION = `
local function generation()
  local g = redis.call('GET', KEYS[1])
  if g then return g end
  local t = redis.call('TIME')
  g = t[1] .. string.format('%06d', tonumber(t[2]))
  redis.call('SET', KEYS[1], g)
  return g
end
local function key(k) return ARGV[1] .. generation() .. ':' .. k end
`;

const GET = new LuaScript(`${GENERATION} return redis.call('GET', key(ARGV[2]))`);
const SET = new LuaScript(`${GENERATION} redis.call('SET', key(ARGV[2]), ARGV[3], 'PX', ARGV[4]) return 1`);
const DEL = new LuaScript(
  `${GENERATION} for i = 2, #ARGV do redis.call('UNLINK', key(ARGV[i])) end return 1`,
);
const INCR = new LuaScript(`${GENERATION}
local k = key(ARGV[2])
local n = redis.call('INCR', k)
redis.call('PEXPIRE', k, ARGV[3])
return n`);
// KEYS[2] records the run_id of the Redis that the current generation was made on; ARGV[1] is the
// run_id seen now, ARGV[2] '1' to bump regardless.
const BUMP = new LuaScript(`
if ARGV[2] == '0' and redis.call('GET', KEYS[2]) == ARGV[1] then return 0 end
local t = redis.call('TIME')
local g = t[1] .. string.format('%06d', tonumber(t[2]))
if redis.call('GET', KEYS[1]) == g then g = g .. '1' end
redis.call('SET', KEYS[1], g)
redis.call('SET', KEYS[2], ARGV[1])
return 1`);

export class RedisCache implements Cache {
  readonly kind = 'redis' as const;
  readonly #client: Redis;
  readonly #genKey: string;
  readonly #runKey: string;
  readonly #dataPrefix: string;
  readonly #counterTtlMs: number;
  readonly #onError: (err: unknown) => void;
  readonly #ownsClient: boolean;
  /** True until a generation check or bump has succeeded since the last connection loss or failed write. */
  #fenced = true;
  #mustBump = false;
  /** Incremented by every fence, so a bump that raced with a newer failure does not lift the fence. */
  #fenceSeq = 0;
  #lifting = false;
  #closed = false;
  readonly #onReady = (): void => void this.#lift();
  readonly #onClose = (): void => this.#fence();

  constructor(client: Redis, options: RedisCacheOptions = {}) {
    const prefix = options.keyPrefix ?? '';
    this.#client = client;
    this.#genKey = `${prefix}cache-gen`;
    this.#runKey = `${prefix}cache-run`;
    this.#dataPrefix = `${prefix}c:`;
    this.#counterTtlMs = options.counterTtlMs ?? 30 * 24 * 3600_000;
    this.#onError = options.onError ?? (() => {});
    this.#ownsClient = options.ownsClient ?? false;
    client.on('ready', this.#onReady);
    client.on('close', this.#onClose);
    if (isReady(client)) void this.#lift();
  }

  async get(key: string): Promise<string | null> {
    if (!this.#usable()) return null;
    try {
      const value = await GET.run(this.#client, [this.#genKey], [this.#dataPrefix, key]);
      return typeof value === 'string' ? value : null;
    } catch (err) {
      this.#report(err);
      return null;
    }
  }

  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    // Like MemoryCache, a non-positive TTL leaves nothing readable behind.
    if (ttlSeconds <= 0) return this.del(key);
    if (!this.#usable()) return;
    const ttlMs = Math.max(1, Math.round(ttlSeconds * 1000));
    try {
      await SET.run(this.#client, [this.#genKey], [this.#dataPrefix, key, value, ttlMs]);
    } catch (err) {
      // A lost set only costs a miss later; it cannot leave anything stale.
      this.#report(err);
    }
  }

  async del(...keys: string[]): Promise<void> {
    if (keys.length === 0 || this.#closed) return;
    // Tried even while fenced: other nodes may still be reading this generation.
    try {
      await DEL.run(this.#client, [this.#genKey], [this.#dataPrefix, ...keys]);
    } catch (err) {
      this.#report(err);
      this.#failedWrite();
    }
  }

  async incr(key: string): Promise<number> {
    if (this.#closed) throw new CacheUnavailableError(new Error('cache closed'));
    try {
      const value = await INCR.run(this.#client, [this.#genKey], [this.#dataPrefix, key, this.#counterTtlMs]);
      if (typeof value !== 'number') throw new Error(`unexpected INCR reply: ${String(value)}`);
      return value;
    } catch (err) {
      this.#report(err);
      this.#failedWrite();
      throw new CacheUnavailableError(err);
    }
  }

  status(): BackendStatus {
    return this.#usable() ? 'ok' : 'down';
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#client.off('ready', this.#onReady);
    this.#client.off('close', this.#onClose);
    if (this.#ownsClient) await closeRedisClient(this.#client);
  }

  #usable(): boolean {
    if (this.#closed || !isReady(this.#client)) return false;
    if (this.#fenced) {
      // A bump that failed earlier is retried by the next call rather than by a timer.
      void this.#lift();
      return false;
    }
    return true;
  }

  #fence(): void {
    this.#fenced = true;
    this.#mustBump = true;
    this.#fenceSeq += 1;
  }

  #failedWrite(): void {
    this.#fence();
    void this.#lift();
  }

  /** Checks (first connect) or bumps (after a loss) the generation, then serves reads again. */
  async #lift(): Promise<void> {
    if (this.#lifting || this.#closed || !isReady(this.#client)) return;
    this.#lifting = true;
    const seq = this.#fenceSeq;
    try {
      const runId = await this.#runId();
      await BUMP.run(
        this.#client,
        [this.#genKey, this.#runKey],
        [runId, this.#mustBump || runId === '' ? '1' : '0'],
      );
      if (seq === this.#fenceSeq) {
        this.#mustBump = false;
        this.#fenced = false;
      }
    } catch (err) {
      this.#report(err);
    } finally {
      this.#lifting = false;
    }
    // Something failed while we were bumping: that failure needs a bump of its own.
    if (this.#fenced && seq !== this.#fenceSeq) void this.#lift();
  }

  async #runId(): Promise<string> {
    try {
      const info = await this.#client.info('server');
      return /^run_id:(\w+)/m.exec(info)?.[1] ?? '';
    } catch (err) {
      // INFO may be disabled on managed Redis; an unknown run_id just forces a bump.
      this.#report(err);
      return '';
    }
  }

  /** Failures while disconnected are expected and visible through status(); anything else is reported. */
  #report(err: unknown): void {
    if (isReady(this.#client)) this.#onError(err);
  }
}
