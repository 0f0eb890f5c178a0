/** Prometheus metrics: one registry per app instance (tests build several apps in one process). */
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export class Metrics {
  readonly registry = new Registry();
  readonly httpRequests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });
  readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by method and route',
    labelNames: ['method', 'route'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
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
  readonly battles = new Counter({
    name: 'battles_total',
    help: 'Battles by outcome',
    labelNames: ['status'] as const,
    registers: [this.registry],
  });
  readonly cacheLookups = new Counter({
    name: 'cache_lookups_total',
    help: 'Cache lookups by cache and result',
    labelNames: ['cache', 'result'] as const,
    registers: [this.registry],
  });

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  // prom-client hashes the label object on every call; routes and statuses are few, so the labelled
  // children are looked up once and kept (this runs for every request).
  readonly #requestChildren = new Map<string, ReturnType<Counter<'method' | 'route' | 'status'>['labels']>>();
  readonly #durationChildren = new Map<string, ReturnType<Histogram<'method' | 'route'>['labels']>>();

  /** Counts one answered request and its latency. */
  observeRequest(method: string, route: string, status: number, seconds: number): void {
    const routeKey = `${method} ${route}`;
    const requestKey = `${routeKey} ${status}`;
    let requests = this.#requestChildren.get(requestKey);
    if (!requests) {
      requests = this.httpRequests.labels({ method, route, status: String(status) });
      this.#requestChildren.set(requestKey, requests);
    }
    let duration = this.#durationChildren.get(routeKey);
    if (!duration) {
      duration = this.httpDuration.labels({ method, route });
      this.#durationChildren.set(routeKey, duration);
    }
    requests.inc();
    duration.observe(seconds);
  }
}
