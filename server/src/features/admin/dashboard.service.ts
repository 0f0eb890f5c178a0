/**
 * The console's live dashboard (API.md "The operator's console"). Every node samples its own counters
 * (the ones /metrics exposes) every SAMPLE_MS: the rates over the interval, the interval's latency
 * percentiles from the request histogram, players online here, and whether Postgres and Redis answer.
 * It keeps the last WINDOW_MS of points and publishes them (through Redis when configured), so the
 * dashboard of any node shows every live node and their total.
 */
import { DURATION_BUCKETS, type Metrics } from '../../infra/metrics';
import type { BackendStatus, Cache } from '../../infra/cache';
import type { Database } from '../../db/client';
import type { NodeStats, NodeStatsStore, StatsPoint } from '../../infra/node-stats';

export const SAMPLE_MS = 2_000;
const WINDOW_MS = 5 * 60_000;
/** A node's figures outlive it by a few samples: a node that died drops off the dashboard in seconds. */
const PUBLISHED_TTL_MS = SAMPLE_MS * 4;

interface Totals {
  at: number;
  requests: number;
  errors: number;
  moneyMoves: number;
  battles: number;
  buckets: number[];
}

export interface DashboardDeps {
  nodeId: string;
  metrics: Pick<Metrics, 'requestTotals' | 'purchases' | 'sales' | 'marketSales' | 'battles'>;
  database: Pick<Database, 'ping'>;
  cache: Pick<Cache, 'status'>;
  store: NodeStatsStore;
  onlinePlayers: () => number;
  now?: () => number;
}

export interface DashboardNode {
  nodeId: string;
  self: boolean;
  startedAt: string;
  postgres: 'ok' | 'down';
  redis: BackendStatus;
  series: Omit<StatsPoint, 'buckets'>[];
}

export interface Dashboard {
  intervalMs: number;
  nodes: DashboardNode[];
  total: { series: Omit<StatsPoint, 'buckets'>[] };
}

/** The latency (ms) below which `share` of the answers fell, from per-bucket counts; 0 without answers. */
export function percentileMs(buckets: readonly number[], share: number): number {
  const count = buckets.reduce((sum, n) => sum + n, 0);
  if (count === 0) return 0;
  const rank = share * count;
  let seen = 0;
  for (let index = 0; index < buckets.length; index++) {
    seen += buckets[index] ?? 0;
    if (seen >= rank) {
      const le = DURATION_BUCKETS[index];
      // Above the largest bucket: reported as its bound (the histogram knows no more).
      return (le ?? DURATION_BUCKETS[DURATION_BUCKETS.length - 1] ?? 0) * 1000;
    }
  }
  return (DURATION_BUCKETS[DURATION_BUCKETS.length - 1] ?? 0) * 1000;
}

async function counterValue(counter: { get(): Promise<{ values: { value: number }[] }> }): Promise<number> {
  return (await counter.get()).values.reduce((sum, entry) => sum + entry.value, 0);
}

export class DashboardService {
  readonly #startedAt: number;
  readonly #now: () => number;
  #last: Totals | null = null;
  #points: StatsPoint[] = [];

  constructor(private readonly deps: DashboardDeps) {
    this.#now = deps.now ?? Date.now;
    this.#startedAt = this.#now();
  }

  async #totals(): Promise<Totals> {
    const { metrics } = this.deps;
    const requests = metrics.requestTotals();
    const [purchases, sales, marketSales, battles] = await Promise.all([
      counterValue(metrics.purchases),
      counterValue(metrics.sales),
      counterValue(metrics.marketSales),
      counterValue(metrics.battles),
    ]);
    return {
      at: this.#now(),
      requests: requests.count,
      errors: requests.errors,
      moneyMoves: purchases + sales + marketSales,
      battles,
      buckets: requests.buckets,
    };
  }

  /** The sampling job: one point over the interval since the last, then publish the recent series. */
  async sample(): Promise<void> {
    const totals = await this.#totals();
    const last = this.#last;
    this.#last = totals;
    const postgres = (await this.deps.database.ping()) ? 'ok' : 'down';
    if (last) {
      const seconds = Math.max(0.001, (totals.at - last.at) / 1000);
      const buckets = totals.buckets.map((n, index) => n - (last.buckets[index] ?? 0));
      const rate = (now: number, before: number): number => Math.round(((now - before) / seconds) * 10) / 10;
      this.#points.push({
        t: totals.at,
        playersOnline: this.deps.onlinePlayers(),
        requestsPerSecond: rate(totals.requests, last.requests),
        moneyMovesPerSecond: rate(totals.moneyMoves, last.moneyMoves),
        battlesPerSecond: rate(totals.battles, last.battles),
        errorsPerSecond: rate(totals.errors, last.errors),
        p50Ms: percentileMs(buckets, 0.5),
        p99Ms: percentileMs(buckets, 0.99),
        buckets,
      });
      const from = totals.at - WINDOW_MS;
      while ((this.#points[0]?.t ?? from) < from) this.#points.shift();
    }
    await this.deps.store.publish(this.#stats(postgres), PUBLISHED_TTL_MS);
  }

  #stats(postgres: 'ok' | 'down'): NodeStats {
    return {
      nodeId: this.deps.nodeId,
      startedAt: this.#startedAt,
      postgres,
      redis: this.deps.cache.status(),
      points: this.#points,
    };
  }

  /** Every live node's series and their total. Without a shared store (or while it fails): this node's. */
  async read(): Promise<Dashboard> {
    let all: NodeStats[];
    try {
      all = await this.deps.store.readAll();
    } catch {
      all = [];
    }
    if (!all.some((stats) => stats.nodeId === this.deps.nodeId)) {
      all.push(this.#stats((await this.deps.database.ping()) ? 'ok' : 'down'));
    }
    all.sort((a, b) => a.startedAt - b.startedAt || a.nodeId.localeCompare(b.nodeId));
    const nodes = all.map((stats) => ({
      nodeId: stats.nodeId,
      self: stats.nodeId === this.deps.nodeId,
      startedAt: new Date(stats.startedAt).toISOString(),
      postgres: stats.postgres,
      redis: stats.nodeId === this.deps.nodeId ? this.deps.cache.status() : stats.redis,
      series: stats.points.map(withoutBuckets),
    }));
    return { intervalMs: SAMPLE_MS, nodes, total: { series: totalSeries(all) } };
  }
}

function withoutBuckets(point: StatsPoint): Omit<StatsPoint, 'buckets'> {
  const { buckets: _buckets, ...rest } = point;
  return rest;
}

/**
 * The nodes' points summed per sampling slot (nodes sample on their own clocks: a point counts in the
 * slot of SAMPLE_MS it falls in); percentiles from the summed histograms.
 */
export function totalSeries(all: readonly NodeStats[]): Omit<StatsPoint, 'buckets'>[] {
  const slots = new Map<number, StatsPoint>();
  for (const stats of all) {
    for (const point of stats.points) {
      const slot = Math.floor(point.t / SAMPLE_MS) * SAMPLE_MS;
      const sum = slots.get(slot);
      if (!sum) {
        slots.set(slot, { ...point, t: slot, buckets: [...point.buckets] });
        continue;
      }
      sum.playersOnline += point.playersOnline;
      sum.requestsPerSecond += point.requestsPerSecond;
      sum.moneyMovesPerSecond += point.moneyMovesPerSecond;
      sum.battlesPerSecond += point.battlesPerSecond;
      sum.errorsPerSecond += point.errorsPerSecond;
      point.buckets.forEach((n, index) => {
        sum.buckets[index] = (sum.buckets[index] ?? 0) + n;
      });
    }
  }
  return [...slots.values()]
    .sort((a, b) => a.t - b.t)
    .map((sum) => ({
      ...withoutBuckets(sum),
      requestsPerSecond: round1(sum.requestsPerSecond),
      moneyMovesPerSecond: round1(sum.moneyMovesPerSecond),
      battlesPerSecond: round1(sum.battlesPerSecond),
      errorsPerSecond: round1(sum.errorsPerSecond),
      p50Ms: percentileMs(sum.buckets, 0.5),
      p99Ms: percentileMs(sum.buckets, 0.99),
    }));
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}
