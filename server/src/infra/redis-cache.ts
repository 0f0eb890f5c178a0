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
 *
 * Local copies (with the `invalidations` option, Redis >= 6): reads are served from process memory when
 * nothing changed, kept coherent by Redis client-side caching (see redis-tracking.ts). A copy is used only
 * after a fence (a PING on the invalidation connection, shared by the reads of one event-loop turn) that
 * proves every invalidation of a write acknowledged before the read was applied: a read never returns a
 * value older than a write whose answer anyone had when the read began. The client passed
 * in is then this cache's own (tracking is per connection). A read that has no copy reads the generation
 * (kept as a copy too) and then the data key with plain GET + PTTL, so Redis tracks exactly the keys read;
 * a changed generation drops every copy, a changed data key its own copy, a lost connection all of them.
 * Our own writes drop the key's copy before they are sent and again when they are answered.
 */
import type { BackendStatus, Cache } from './cache.js';
import { closeRedisClient, isReady, type Redis } from './redis.js';
import { BUMP, DEL, GET, INCR, SET } from './redis-cache-scripts.js';
import { LocalCopies } from './redis-tracking.js';

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
  /**
   * A connection of its own for Redis's invalidation messages: turns on local copies of what get()
   * reads (the client must then be this cache's alone). Closed with the cache.
   */
  invalidations?: Redis;
  /** Bound on the local copies (default 50,000). */
  maxLocalCopies?: number;
}

/** The local slot of the generation (no cache key starts with a NUL). */
const GENERATION_SLOT = '\0generation';

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
  readonly #local: LocalCopies | null;

  constructor(client: Redis, options: RedisCacheOptions = {}) {
    const prefix = options.keyPrefix ?? '';
    this.#client = client;
    this.#genKey = `${prefix}cache-gen`;
    this.#runKey = `${prefix}cache-run`;
    this.#dataPrefix = `${prefix}c:`;
    this.#counterTtlMs = options.counterTtlMs ?? 30 * 24 * 3600_000;
    this.#onError = options.onError ?? (() => {});
    this.#ownsClient = options.ownsClient ?? false;
    this.#local = options.invalidations
      ? new LocalCopies({
          data: client,
          invalidations: options.invalidations,
          localKeyOf: (name) => this.#localKeyOf(name),
          maxEntries: options.maxLocalCopies,
          onError: this.#onError,
        })
      : null;
    client.on('ready', this.#onReady);
    client.on('close', this.#onClose);
    if (isReady(client)) void this.#lift();
  }

  async get(key: string): Promise<string | null> {
    if (!this.#usable()) return null;
    const local = this.#local;
    if (local?.active) {
      // A copy (of the key, or of the generation the key is read under) is used only after a fence, which
      // makes sure every invalidation of writes acknowledged before this call has been applied; with
      // neither, both are read from Redis now, which is fresh as it is.
      let generation: string | null | undefined;
      if (local.holds(key) || local.holds(GENERATION_SLOT)) {
        if (await local.fence()) {
          const copy = local.lookup(key);
          if (copy) return copy.value;
          generation = local.lookup(GENERATION_SLOT)?.value;
        } else {
          generation = null; // no copy can be trusted now: straight to the script below
        }
      }
      if (generation !== null && local.active) {
        const read = await this.#readThrough(local, key, generation);
        if (read !== undefined) return read;
      }
    }
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
    this.#local?.invalidate(key);
    try {
      await SET.run(this.#client, [this.#genKey], [this.#dataPrefix, key, value, ttlMs]);
    } catch (err) {
      // A lost set only costs a miss later; it cannot leave anything stale.
      this.#report(err);
    }
    this.#local?.invalidate(key);
  }

  async del(...keys: string[]): Promise<void> {
    if (keys.length === 0 || this.#closed) return;
    // Tried even while fenced: other nodes may still be reading this generation.
    for (const key of keys) this.#local?.invalidate(key);
    try {
      await DEL.run(this.#client, [this.#genKey], [this.#dataPrefix, ...keys]);
    } catch (err) {
      this.#report(err);
      this.#failedWrite();
    }
    for (const key of keys) this.#local?.invalidate(key);
  }

  async incr(key: string): Promise<number> {
    if (this.#closed) throw new CacheUnavailableError(new Error('cache closed'));
    this.#local?.invalidate(key);
    try {
      const value = await INCR.run(this.#client, [this.#genKey], [this.#dataPrefix, key, this.#counterTtlMs]);
      if (typeof value !== 'number') throw new Error(`unexpected INCR reply: ${String(value)}`);
      return value;
    } catch (err) {
      this.#report(err);
      this.#failedWrite();
      throw new CacheUnavailableError(err);
    } finally {
      this.#local?.invalidate(key);
    }
  }

  /** Local copies kept now (0 without the `invalidations` option); for tests and metrics. */
  get localCopies(): number {
    return this.#local?.size ?? 0;
  }

  status(): BackendStatus {
    return this.#usable() ? 'ok' : 'down';
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#client.off('ready', this.#onReady);
    this.#client.off('close', this.#onClose);
    await this.#local?.close();
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
    this.#local?.clear();
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

  /**
   * A read that may be kept as a local copy: the generation (from its copy, checked by a fence the caller
   * passed, or read and kept), then the data key under it with GET + PTTL in one round trip. Undefined when it cannot be done this way (no
   * generation yet, or it changed while being read): the caller then reads through the script.
   */
  async #readThrough(
    local: LocalCopies,
    key: string,
    fencedGeneration: string | undefined,
  ): Promise<string | null | undefined> {
    try {
      let generation = fencedGeneration;
      if (generation === undefined) {
        const genRead = local.begin(GENERATION_SLOT);
        const value = await this.#client.get(this.#genKey);
        local.end(genRead, value);
        if (value === null || !genRead || genRead.spoiled) return undefined;
        generation = value;
      }
      const dataKey = `${this.#dataPrefix}${generation}:${key}`;
      const read = local.begin(key);
      try {
        const replies = await this.#client.pipeline().get(dataKey).pttl(dataKey).exec();
        const [get, pttl] = replies ?? [];
        if (!get || get[0] || !pttl || pttl[0]) throw get?.[0] ?? pttl?.[0] ?? new Error('no reply');
        const value = typeof get[1] === 'string' ? get[1] : null;
        local.end(read, value, typeof pttl[1] === 'number' ? pttl[1] : -1);
        return value;
      } catch (err) {
        local.end(read);
        throw err;
      }
    } catch (err) {
      this.#report(err);
      return null;
    }
  }

  /** The local key a Redis key name reported changed stands for: null = the generation (drop all). */
  #localKeyOf(name: string): string | null | undefined {
    if (name === this.#genKey) return null;
    if (!name.startsWith(this.#dataPrefix)) return undefined;
    const separator = name.indexOf(':', this.#dataPrefix.length);
    return separator < 0 ? undefined : name.slice(separator + 1);
  }

  /** Failures while disconnected are expected and visible through status(); anything else is reported. */
  #report(err: unknown): void {
    if (isReady(this.#client)) this.#onError(err);
  }
}
