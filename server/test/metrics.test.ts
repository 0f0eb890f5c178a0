/**
 * The per-request metrics are counted outside prom-client (plain numbers on the hot path); their text
 * must be what prom-client itself would have written for the same requests. prom-client is the oracle.
 */
import fc from 'fast-check';
import { Counter, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { DURATION_BUCKETS, Metrics, RequestMetrics } from '../src/infra/metrics';

interface Observation {
  method: string;
  route: string;
  status: number;
  seconds: number;
}

async function promClientText(observations: Observation[]): Promise<string> {
  const registry = new Registry();
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by method and route',
    labelNames: ['method', 'route'] as const,
    buckets: [...DURATION_BUCKETS],
    registers: [registry],
  });
  for (const { method, route, status, seconds } of observations) {
    requests.inc({ method, route, status: String(status) });
    duration.observe({ method, route }, seconds);
  }
  return registry.metrics();
}

function ours(observations: Observation[]): string {
  const metrics = new RequestMetrics();
  for (const { method, route, status, seconds } of observations)
    metrics.observe(method, route, status, seconds);
  return metrics.render();
}

/** The exposition as a set of lines: series order is not part of the format. */
const lines = (text: string) =>
  text
    .split('\n')
    .filter((line) => line !== '')
    .sort();

const observation = fc.record({
  method: fc.constantFrom('GET', 'POST', 'DELETE'),
  route: fc.constantFrom('/api/v1/shop/items', '/api/v1/me', 'unmatched', '/odd "quoted"\\path\nline'),
  status: fc.constantFrom(200, 304, 400, 404, 409, 503),
  // Includes the bucket bounds themselves (le is "less than or equal") and values above the last one.
  seconds: fc.oneof(
    fc.constantFrom(...DURATION_BUCKETS, 0, 7.5),
    fc.double({ min: 0, max: 10, noNaN: true }),
  ),
});

describe('request metrics', () => {
  it('write exactly what prom-client writes for the same requests', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(observation, { maxLength: 60 }), async (observations) => {
        expect(lines(ours(observations))).toEqual(lines(await promClientText(observations)));
      }),
      { numRuns: 200 },
    );
  });

  it('are part of the scrape, with the cache lookups counted so far', async () => {
    const metrics = new Metrics({ defaultMetrics: false });
    metrics.observeRequest('GET', '/api/v1/shop/items', 200, 0.002);
    metrics.cacheLookup('shop_page', true);
    metrics.cacheLookup('shop_page', true);
    metrics.cacheLookup('session', false);
    let text = await metrics.render();
    expect(text).toContain('http_requests_total{method="GET",route="/api/v1/shop/items",status="200"} 1');
    expect(text).toContain(
      'http_request_duration_seconds_bucket{le="0.0025",method="GET",route="/api/v1/shop/items"} 1',
    );
    expect(text).toContain('cache_lookups_total{cache="shop_page",result="hit"} 2');
    expect(text).toContain('cache_lookups_total{cache="session",result="miss"} 1');
    // Counters only grow: a second scrape adds what came since, never counts twice.
    metrics.cacheLookup('shop_page', true);
    text = await metrics.render();
    expect(text).toContain('cache_lookups_total{cache="shop_page",result="hit"} 3');
    expect(text).toContain('cache_lookups_total{cache="session",result="miss"} 1');
  });
});
