/** The HTTP load generator: autocannon, bounded in time, against 127.0.0.1, run in the harness process. */
import autocannon, { type Options, type RequestSpec } from 'autocannon';
import { percentile } from './stats';

export interface LoadResult {
  /** Mean requests per second over the run (all responses, 2xx or not). */
  rps: number;
  /** Mean 2xx responses per second. */
  okRps: number;
  /** Latency percentiles of the 2xx answers, in ms: whole ms from autocannon, or exact with `preciseLatency`. */
  p50: number;
  p99: number;
  total: number;
  non2xx: number;
  errors: number;
  statusCodes: Record<string, number>;
  durationS: number;
}

export interface LoadOptions {
  url: string;
  connections: number;
  durationS: number;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  requests?: RequestSpec[];
  /**
   * Keep every 2xx answer's time (hrtime, fractional ms) and take the percentiles from those.
   * autocannon's own are whole milliseconds (its histogram stores integers): too coarse where two
   * 2-3 ms figures are compared (the scale scenario). Off where only throughput is judged: the
   * listener costs the load generator a little, and a slower generator would flatter a ratio.
   */
  preciseLatency?: boolean;
}

export function runLoad(options: LoadOptions): Promise<LoadResult> {
  const opts: Options = {
    url: options.url,
    connections: options.connections,
    duration: options.durationS,
    pipelining: 1,
    timeout: 10,
  };
  // Only set what is given: an explicit `undefined` would override autocannon's defaults.
  if (options.method !== undefined) opts.method = options.method;
  if (options.headers !== undefined) opts.headers = options.headers;
  if (options.body !== undefined) opts.body = options.body;
  if (options.requests !== undefined) opts.requests = options.requests;
  const latencies: number[] = [];
  return new Promise((resolve, reject) => {
    const instance = autocannon(opts, (error, result) => {
      if (error) {
        reject(error);
        return;
      }
      const statusCodes: Record<string, number> = {};
      for (const [code, stat] of Object.entries(result.statusCodeStats ?? {})) statusCodes[code] = stat.count;
      const seconds = result.duration > 0 ? result.duration : options.durationS;
      const sorted = options.preciseLatency ? Float64Array.from(latencies).sort() : null;
      resolve({
        rps: result.requests.total / seconds,
        okRps: result['2xx'] / seconds,
        p50: sorted ? percentile(sorted, 50) : result.latency.p50,
        p99: sorted ? percentile(sorted, 99) : result.latency.p99,
        total: result.requests.total,
        non2xx: result.non2xx,
        errors: result.errors + result.timeouts,
        statusCodes,
        durationS: seconds,
      });
    });
    if (options.preciseLatency) {
      instance.on(
        'response',
        (_client: unknown, statusCode: number, _bytes: number, milliseconds: number) => {
          if (statusCode >= 200 && statusCode < 300) latencies.push(milliseconds);
        },
      );
    }
  });
}

/** A short unmeasured run so JIT, pools and caches are warm before the measured one. */
export async function warmUp(options: LoadOptions, seconds: number): Promise<void> {
  if (seconds <= 0) return;
  await runLoad({ ...options, durationS: Math.max(1, Math.round(seconds)) });
}

/**
 * Runs `a` and `b` alternately, `rounds` times each (a, b, a, b, …), and reports each side's **median**
 * round by `score` (with an even count, the lower of the two middle rounds). This machine is shared, so
 * other work steals CPU at random moments; alternating spreads that noise over both sides, and the median
 * is the figure neither a lucky nor a disturbed round decides. Every round is kept for the report.
 */
export async function alternate<A, B>(
  rounds: number,
  a: () => Promise<A>,
  b: () => Promise<B>,
  scoreA: (x: A) => number,
  scoreB: (x: B) => number,
): Promise<{ a: A; b: B; allA: A[]; allB: B[] }> {
  const allA: A[] = [];
  const allB: B[] = [];
  for (let i = 0; i < Math.max(1, rounds); i++) {
    allA.push(await a());
    allB.push(await b());
  }
  return { a: median(allA, scoreA), b: median(allB, scoreB), allA, allB };
}

/** The median element by `score` (the lower middle one of an even count). */
export function median<T>(xs: T[], score: (x: T) => number): T {
  const sorted = [...xs].sort((x, y) => score(x) - score(y));
  return sorted[Math.floor((sorted.length - 1) / 2)] as T;
}
