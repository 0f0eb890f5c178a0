/** Prometheus metrics: one registry per app instance (tests build several apps in one process). */
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';

type CacheName = 'shop_page' | 'session';

/** Latency buckets of http_request_duration_seconds, in seconds. */
export const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] as const;

interface RouteSeries {
  labels: string;
  /** Answers by status code. */
  statuses: Map<number, number>;
  /** Per-bucket (not cumulative) counts; the last slot is above the largest bucket. */
  buckets: number[];
  sum: number;
  count: number;
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/**
 * The per-request metrics, kept as plain numbers per route and written out in the Prometheus text
 * format when scraped. Every request passes here, and prom-client's labelled counter and histogram
 * hash their label set on each call: on the warm shop page that was the largest piece of our own
 * work per request (bench/RESULTS.md). Same names, labels and buckets as before.
 */
export class RequestMetrics {
  readonly #series = new Map<string, RouteSeries>();

  observe(method: string, route: string, status: number, seconds: number): void {
    const key = `${method} ${route}`;
    let series = this.#series.get(key);
    if (!series) {
      series = {
        labels: `method="${escapeLabel(method)}",route="${escapeLabel(route)}"`,
        statuses: new Map(),
        buckets: new Array<number>(DURATION_BUCKETS.length + 1).fill(0),
        sum: 0,
        count: 0,
      };
      this.#series.set(key, series);
    }
    series.statuses.set(status, (series.statuses.get(status) ?? 0) + 1);
    let bucket = 0;
    while (bucket < DURATION_BUCKETS.length && seconds > (DURATION_BUCKETS[bucket] ?? 0)) bucket++;
    series.buckets[bucket] = (series.buckets[bucket] ?? 0) + 1;
    series.sum += seconds;
    series.count++;
  }

  /** Every route's answers so far: how many, how many were 5xx, and per latency bucket (not cumulative). */
  totals(): { count: number; errors: number; buckets: number[] } {
    const buckets = new Array<number>(DURATION_BUCKETS.length + 1).fill(0);
    let count = 0;
    let errors = 0;
    for (const series of this.#series.values()) {
      count += series.count;
      for (const [status, n] of series.statuses) if (status >= 500) errors += n;
      series.buckets.forEach((n, index) => {
        buckets[index] = (buckets[index] ?? 0) + n;
      });
    }
    return { count, errors, buckets };
  }

  render(): string {
    const lines = [
      '# HELP http_requests_total HTTP requests by method, route and status',
      '# TYPE http_requests_total counter',
    ];
    for (const series of this.#series.values()) {
      for (const [status, count] of series.statuses) {
        lines.push(`http_requests_total{${series.labels},status="${status}"} ${count}`);
      }
    }
    lines.push(
      '',
      '# HELP http_request_duration_seconds HTTP request latency by method and route',
      '# TYPE http_request_duration_seconds histogram',
    );
    for (const series of this.#series.values()) {
      let cumulative = 0;
      DURATION_BUCKETS.forEach((le, index) => {
        cumulative += series.buckets[index] ?? 0;
        lines.push(`http_request_duration_seconds_bucket{le="${le}",${series.labels}} ${cumulative}`);
      });
      lines.push(`http_request_duration_seconds_bucket{le="+Inf",${series.labels}} ${series.count}`);
      lines.push(`http_request_duration_seconds_sum{${series.labels}} ${series.sum}`);
      lines.push(`http_request_duration_seconds_count{${series.labels}} ${series.count}`);
    }
    return `${lines.join('\n')}\n`;
  }
}

export class Metrics {
  readonly registry = new Registry();
  /** http_requests_total and http_request_duration_seconds: counted outside prom-client (see RequestMetrics). */
  readonly #requests = new RequestMetrics();
  readonly purchases = new Counter({
    name: 'shop_purchases_total',
    help: 'Completed purchases',
    registers: [this.registry],
  });
  readonly sales = new Counter({
    name: 'shop_sales_total',
    help: 'Completed sales',
    registers: [this.registry],
  });
  readonly logins = new Counter({
    name: 'auth_logins_total',
    help: 'Successful registrations and logins',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });
  readonly failedLogins = new Counter({
    name: 'auth_failed_logins_total',
    help: 'Logins with a wrong password',
    registers: [this.registry],
  });
  readonly marketSales = new Counter({
    name: 'market_sales_total',
    help: 'Completed market sales between players',
    registers: [this.registry],
  });
  readonly battles = new Counter({
    name: 'battles_total',
    help: 'Battles by outcome',
    labelNames: ['status'] as const,
    registers: [this.registry],
  });
  // Counted as plain numbers on the hot path and handed to prom-client when scraped (its inc() hashes
  // the label set on every call).
  readonly #pendingCacheLookups: Record<CacheName, { hit: number; miss: number }> = {
    shop_page: { hit: 0, miss: 0 },
    session: { hit: 0, miss: 0 },
  };
  readonly cacheLookups: Counter<'cache' | 'result'>;

  constructor(options: { defaultMetrics?: boolean } = {}) {
    const pending = this.#pendingCacheLookups;
    this.cacheLookups = new Counter({
      name: 'cache_lookups_total',
      help: 'Cache lookups by cache and result',
      labelNames: ['cache', 'result'] as const,
      registers: [this.registry],
      collect() {
        for (const [cache, counts] of Object.entries(pending)) {
          this.inc({ cache, result: 'hit' }, counts.hit);
          this.inc({ cache, result: 'miss' }, counts.miss);
          counts.hit = 0;
          counts.miss = 0;
        }
      },
    });
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  /** Counts one answered request and its latency. */
  /**
   * A gauge read at scrape time (sockets open, players queued). Registered once per name: wiring the
   * services again over this registry (a test's second app) replaces it.
   */
  gauge(name: string, help: string, read: () => number | Promise<number>): void {
    this.registry.removeSingleMetric(name);
    new Gauge({
      name,
      help,
      registers: [this.registry],
      async collect() {
        try {
          this.set(await read());
        } catch {
          // The backend is down: the gauge keeps its last value.
        }
      },
    });
  }

  observeRequest(method: string, route: string, status: number, seconds: number): void {
    this.#requests.observe(method, route, status, seconds);
  }

  /** The request totals the dashboard samples (see RequestMetrics.totals). */
  requestTotals(): { count: number; errors: number; buckets: number[] } {
    return this.#requests.totals();
  }

  /** Counts one cache lookup. */
  cacheLookup(cache: CacheName, hit: boolean): void {
    this.#pendingCacheLookups[cache][hit ? 'hit' : 'miss']++;
  }

  /** The Prometheus text exposition of every metric. */
  async render(): Promise<string> {
    return (await this.registry.metrics()) + this.#requests.render();
  }
}
