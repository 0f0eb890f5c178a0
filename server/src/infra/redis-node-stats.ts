/**
 * RedisNodeStatsStore (see node-stats.ts). Keys, under the prefix:
 * - `stats:nodes`      sorted set: node id → when its figures expire (ms since epoch)
 * - `stats:node:<id>`  string: the node's figures as JSON, with the same expiry
 * A node that stops publishing drops out of the read once its time is up; the read also trims it.
 */
import type { NodeStats, NodeStatsStore } from './node-stats.js';
import type { Redis } from './redis.js';

export class RedisNodeStatsStore implements NodeStatsStore {
  readonly #nodes: string;
  readonly #nodePrefix: string;

  constructor(
    private readonly client: Redis,
    options: { keyPrefix?: string; now?: () => number } = {},
  ) {
    const p = `${options.keyPrefix ?? ''}stats:`;
    this.#nodes = `${p}nodes`;
    this.#nodePrefix = `${p}node:`;
    this.now = options.now ?? Date.now;
  }

  private readonly now: () => number;

  async publish(stats: NodeStats, ttlMs: number): Promise<void> {
    const until = this.now() + ttlMs;
    await this.client
      .multi()
      .set(`${this.#nodePrefix}${stats.nodeId}`, JSON.stringify(stats), 'PX', ttlMs)
      .zadd(this.#nodes, until, stats.nodeId)
      .zremrangebyscore(this.#nodes, '-inf', this.now())
      .exec();
  }

  async readAll(): Promise<NodeStats[]> {
    const ids = await this.client.zrangebyscore(this.#nodes, this.now(), '+inf');
    if (ids.length === 0) return [];
    const values = await this.client.mget(ids.map((id) => `${this.#nodePrefix}${id}`));
    const all: NodeStats[] = [];
    for (const value of values) {
      if (value === null) continue;
      try {
        all.push(JSON.parse(value) as NodeStats);
      } catch {
        // A value this version cannot read (another version's node mid-deploy): left out.
      }
    }
    return all;
  }

  async close(): Promise<void> {}
}
