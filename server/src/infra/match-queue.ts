/**
 * The quick-match queue: players waiting for an opponent with the same stake. popPair() removes the best
 * pair atomically (so two nodes matching at once never hand out one player twice): among players with
 * the same stake, the two with the closest ratings whose gap is allowed, the allowed gap widening with
 * waiting time (allowedGap). The closest allowed pair is always two neighbours in rating order (if a and
 * c qualify with b between them, a–b or b–c is closer and qualifies through the same waiting player), so
 * one pass over each stake's sorted queue finds it.
 *
 * RedisMatchQueue (N nodes) and MemoryMatchQueue (one process), one test suite over both.
 */

export interface QueueEntry {
  playerId: string;
  stake: number;
  rating: number;
  /** ms since epoch */
  queuedAt: number;
}

export interface MatchQueue {
  readonly kind: 'memory' | 'redis';
  /** Puts the player in the queue for entry.stake, replacing any entry it had. */
  join(entry: QueueEntry): Promise<void>;
  /** Takes the player out of the queue; returns its entry, or null when it was not queued. */
  leave(playerId: string): Promise<QueueEntry | null>;
  entry(playerId: string): Promise<QueueEntry | null>;
  /** Removes and returns the best allowed pair as of `now`, or null when there is none. */
  popPair(now: number): Promise<[QueueEntry, QueueEntry] | null>;
  /** Players waiting, all stakes together. */
  length(): Promise<number>;
}

/** Rating gap allowed at once, its growth per second of waiting, and its ceiling. */
export const MATCH_GAP = { base: 100, perSecond: 20, max: 1_000 } as const;

/** The rating gap a player who has waited `waitedMs` accepts. */
export function allowedGap(waitedMs: number): number {
  return Math.min(MATCH_GAP.max, MATCH_GAP.base + (MATCH_GAP.perSecond * Math.max(0, waitedMs)) / 1000);
}

/** The best allowed pair of one stake's queue (sorted by rating), or null. Same rule as the Lua script. */
export function bestPair(sorted: readonly QueueEntry[], now: number): [QueueEntry, QueueEntry] | null {
  let best: [QueueEntry, QueueEntry] | null = null;
  let bestGap = Number.POSITIVE_INFINITY;
  for (let i = 0; i + 1 < sorted.length; i++) {
    const a = sorted[i];
    const b = sorted[i + 1];
    if (!a || !b) continue;
    const gap = b.rating - a.rating;
    const allowed = Math.max(allowedGap(now - a.queuedAt), allowedGap(now - b.queuedAt));
    if (gap <= allowed && gap < bestGap) {
      best = [a, b];
      bestGap = gap;
    }
  }
  return best;
}

const byRating = (x: QueueEntry, y: QueueEntry) =>
  x.rating - y.rating || (x.playerId < y.playerId ? -1 : x.playerId > y.playerId ? 1 : 0);

export class MemoryMatchQueue implements MatchQueue {
  readonly kind = 'memory' as const;
  readonly #entries = new Map<string, QueueEntry>();

  join(entry: QueueEntry): Promise<void> {
    this.#entries.set(entry.playerId, { ...entry });
    return Promise.resolve();
  }

  leave(playerId: string): Promise<QueueEntry | null> {
    const entry = this.#entries.get(playerId) ?? null;
    this.#entries.delete(playerId);
    return Promise.resolve(entry);
  }

  entry(playerId: string): Promise<QueueEntry | null> {
    const entry = this.#entries.get(playerId);
    return Promise.resolve(entry ? { ...entry } : null);
  }

  popPair(now: number): Promise<[QueueEntry, QueueEntry] | null> {
    const byStake = new Map<number, QueueEntry[]>();
    for (const entry of this.#entries.values()) {
      const list = byStake.get(entry.stake) ?? [];
      list.push(entry);
      byStake.set(entry.stake, list);
    }
    for (const stake of [...byStake.keys()].sort((x, y) => x - y)) {
      const pair = bestPair((byStake.get(stake) ?? []).sort(byRating), now);
      if (pair) {
        for (const entry of pair) this.#entries.delete(entry.playerId);
        return Promise.resolve(pair);
      }
    }
    return Promise.resolve(null);
  }

  length(): Promise<number> {
    return Promise.resolve(this.#entries.size);
  }
}
