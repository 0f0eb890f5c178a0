/**
 * Where every node leaves its recent figures for the console's dashboard (API.md "The operator's
 * console"): each node samples its own counters every couple of seconds and publishes the last few
 * minutes of points; any node reads every live node's. In process (no Redis) it holds this node's only.
 */
export interface StatsPoint {
  /** When the point was taken, ms since epoch. */
  t: number;
  playersOnline: number;
  requestsPerSecond: number;
  moneyMovesPerSecond: number;
  battlesPerSecond: number;
  errorsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** The interval's answers per latency bucket (not cumulative), so totals can take percentiles. */
  buckets: number[];
}

export interface NodeStats {
  nodeId: string;
  startedAt: number;
  postgres: 'ok' | 'down';
  redis: 'ok' | 'down' | 'off';
  points: StatsPoint[];
}

export interface NodeStatsStore {
  /** Stores this node's latest figures (its whole recent series), alive for `ttlMs`. */
  publish(stats: NodeStats, ttlMs: number): Promise<void>;
  /** Every node's figures published within its time to live. */
  readAll(): Promise<NodeStats[]>;
  close(): Promise<void>;
}

export class MemoryNodeStatsStore implements NodeStatsStore {
  #entries = new Map<string, { stats: NodeStats; until: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  async publish(stats: NodeStats, ttlMs: number): Promise<void> {
    this.#entries.set(stats.nodeId, { stats, until: this.now() + ttlMs });
  }

  async readAll(): Promise<NodeStats[]> {
    const now = this.now();
    const alive: NodeStats[] = [];
    for (const [nodeId, entry] of this.#entries) {
      if (entry.until > now) alive.push(entry.stats);
      else this.#entries.delete(nodeId);
    }
    return alive;
  }

  async close(): Promise<void> {}
}
