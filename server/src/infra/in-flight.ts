/**
 * InFlightLimiter: how many operations of one kind a key (a player) has running at once, across every
 * node. acquire() takes a slot when fewer than `max` are held and returns its release function, or null
 * when the key is at its bound. The wallet bounds each player's money moves with it, so one player
 * firing many at once queues at most `max` of them on the database and cannot take the whole pool.
 */
export interface InFlightLimiter {
  readonly kind: 'memory' | 'redis';
  acquire(key: string, max: number): Promise<(() => void) | null>;
  close(): Promise<void>;
}

/** One process's counts: the bound holds per node (the in-process twin, and the Redis outage fallback). */
export class MemoryInFlightLimiter implements InFlightLimiter {
  readonly kind = 'memory' as const;
  readonly #held = new Map<string, number>();

  acquire(key: string, max: number): Promise<(() => void) | null> {
    const held = this.#held.get(key) ?? 0;
    if (held >= max) return Promise.resolve(null);
    this.#held.set(key, held + 1);
    let released = false;
    return Promise.resolve(() => {
      if (released) return;
      released = true;
      const now = (this.#held.get(key) ?? 1) - 1;
      if (now <= 0) this.#held.delete(key);
      else this.#held.set(key, now);
    });
  }

  /** Slots held for a key now (tests). */
  held(key: string): number {
    return this.#held.get(key) ?? 0;
  }

  close(): Promise<void> {
    this.#held.clear();
    return Promise.resolve();
  }
}
