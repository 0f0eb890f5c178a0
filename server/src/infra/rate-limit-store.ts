/**
 * RateLimitStore: fixed-window counters shared by all nodes (rate limits, failed-login lockouts).
 * hit() counts one event in the window that holds `now` and returns the count so far and when the
 * window ends. A failing remote store must fail open (allow) rather than take the API down.
 */
export interface WindowCount {
  count: number;
  /** Epoch milliseconds when the current window ends. */
  resetAt: number;
}

export interface RateLimitStore {
  readonly kind: 'memory' | 'redis';
  hit(key: string, windowMs: number): Promise<WindowCount>;
  /** The current window's count without counting, or null when nothing is counted. */
  peek(key: string): Promise<WindowCount | null>;
  reset(key: string): Promise<void>;
  close(): Promise<void>;
}

export class MemoryRateLimitStore implements RateLimitStore {
  readonly kind = 'memory' as const;
  readonly #windows = new Map<string, WindowCount>();
  #lastSweep = 0;

  constructor(private readonly now: () => number = Date.now) {}

  hit(key: string, windowMs: number): Promise<WindowCount> {
    const now = this.now();
    this.#sweep(now);
    let window = this.#windows.get(key);
    if (!window || window.resetAt <= now) {
      window = { count: 0, resetAt: now + windowMs };
      this.#windows.set(key, window);
    }
    window.count += 1;
    return Promise.resolve({ ...window });
  }

  peek(key: string): Promise<WindowCount | null> {
    const window = this.#windows.get(key);
    if (!window || window.resetAt <= this.now()) return Promise.resolve(null);
    return Promise.resolve({ ...window });
  }

  reset(key: string): Promise<void> {
    this.#windows.delete(key);
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.#windows.clear();
    return Promise.resolve();
  }

  /** Drops expired windows now and then so the map cannot grow without bound. */
  #sweep(now: number): void {
    if (now - this.#lastSweep < 60_000) return;
    this.#lastSweep = now;
    for (const [key, window] of this.#windows) if (window.resetAt <= now) this.#windows.delete(key);
  }
}
