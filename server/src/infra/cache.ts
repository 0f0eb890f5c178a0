/**
 * Cache: a helper, never the truth. Values are strings (callers serialize). A failing backend behaves as a
 * miss on read and is reported through status(); callers must stay correct when every get() misses.
 * Never put a balance or anything else that a write could leave stale behind a key that is not versioned
 * or deleted by that write.
 */
export type BackendStatus = 'ok' | 'down' | 'off';

export interface Cache {
  readonly kind: 'memory' | 'redis';
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  del(...keys: string[]): Promise<void>;
  /** Atomically increments an integer counter (creating it at 1) and returns the new value. */
  incr(key: string): Promise<number>;
  /** 'off' for the in-process cache, 'ok' / 'down' for a remote one. */
  status(): BackendStatus;
  close(): Promise<void>;
}

interface Entry {
  value: string;
  expiresAt: number;
}

/** In-process cache with TTLs and a size bound (oldest entries evicted first). One node only. */
export class MemoryCache implements Cache {
  readonly kind = 'memory' as const;
  readonly #entries = new Map<string, Entry>();
  /**
   * Counters version other keys, so they live apart from the size-bounded entries: evicting a version
   * would bring back pages cached under an older one. They are few by design (a catalog version, the
   * session revision buckets).
   */
  readonly #counters = new Map<string, number>();

  constructor(
    private readonly maxEntries = 50_000,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: string): Promise<string | null> {
    const counter = this.#counters.get(key);
    if (counter !== undefined) return Promise.resolve(String(counter));
    const entry = this.#entries.get(key);
    if (!entry) return Promise.resolve(null);
    if (entry.expiresAt <= this.now()) {
      this.#entries.delete(key);
      return Promise.resolve(null);
    }
    return Promise.resolve(entry.value);
  }

  set(key: string, value: string, ttlSeconds: number): Promise<void> {
    this.#counters.delete(key);
    this.#entries.delete(key);
    this.#entries.set(key, { value, expiresAt: this.now() + ttlSeconds * 1000 });
    if (this.#entries.size > this.maxEntries) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
    return Promise.resolve();
  }

  del(...keys: string[]): Promise<void> {
    for (const key of keys) {
      this.#entries.delete(key);
      this.#counters.delete(key);
    }
    return Promise.resolve();
  }

  incr(key: string): Promise<number> {
    const next = (this.#counters.get(key) ?? 0) + 1;
    this.#counters.set(key, next);
    return Promise.resolve(next);
  }

  status(): BackendStatus {
    return 'off';
  }

  close(): Promise<void> {
    this.#entries.clear();
    this.#counters.clear();
    return Promise.resolve();
  }
}
