/**
 * When to try a request again, and how long to wait first. Kept pure (randomness and the clock are
 * passed in) so the policy is tested exactly; the transport only asks `retryDecision` and sleeps.
 *
 * The rule that matters is about money: a request is repeated only when repeating it cannot do the
 * work twice — either the request is idempotent (reads, PATCH, DELETE, logout, and money moves, which
 * always carry an Idempotency-Key the server replays), or the failure proves the server did nothing.
 */
import { ApiError, NetworkError } from './errors';

export interface RetryPolicy {
  /** Retries after the first attempt: 4 means at most 5 attempts. */
  retries: number;
  /** Ceiling of the first retry's delay; it doubles for each later retry. */
  baseDelayMs: number;
  /** No wait is ever longer, including one asked for by `Retry-After`. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
  retries: 4,
  baseDelayMs: 250,
  maxDelayMs: 8000,
});

export interface RetryInfo {
  /** The attempt about to be made, 2..maxAttempts. */
  attempt: number;
  maxAttempts: number;
  delayMs: number;
  reason: ApiError | NetworkError;
}

/**
 * How a request may be repeated.
 * - `idempotent`: doing it twice leaves the same state (GET, PATCH, DELETE, logout, and money moves
 *   sent with an Idempotency-Key). Retried on any network error or timeout, and on 429, 502, 503, 504.
 * - `once`: the server would do it again (login and register grant a bonus each time; creating an
 *   item). Retried only when the server certainly did not act on it: a connection that was never
 *   made, a 429 (rejected before any work) or a 503 (the database is down, so nothing committed).
 *   Not on a timeout or a reset connection, nor on 502/504, where a proxy may have passed it on.
 * - `never`: probes (health, readiness) that report the state of this moment.
 */
export type RetryMode = 'idempotent' | 'once' | 'never';

export function normalizePolicy(partial: Partial<RetryPolicy> = {}): RetryPolicy {
  const whole = (value: number | undefined, fallback: number): number =>
    value !== undefined && Number.isFinite(value) && value >= 0 ? Math.floor(value) : fallback;
  const baseDelayMs = whole(partial.baseDelayMs, DEFAULT_RETRY_POLICY.baseDelayMs);
  return {
    retries: whole(partial.retries, DEFAULT_RETRY_POLICY.retries),
    baseDelayMs,
    maxDelayMs: Math.max(baseDelayMs, whole(partial.maxDelayMs, DEFAULT_RETRY_POLICY.maxDelayMs)),
  };
}

/**
 * The wait before retry `retry` (1-based) — of a request, or of the live connection's reconnect: a
 * uniform draw between `floor` of the window and all of it, the window min(maxDelayMs,
 * baseDelayMs · 2^(retry-1)). Floor 0 ("full jitter", requests) spreads a fleet that failed together
 * over the whole window; the live connection keeps half (see realtime.ts).
 */
export function backoffDelay(
  retry: number,
  policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>,
  random: () => number,
  floor = 0,
): number {
  const window = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry - 1));
  const draw = Math.min(Math.max(random(), 0), 1);
  const least = window * floor;
  return Math.min(Math.floor(least + (window - least) * draw), policy.maxDelayMs);
}

/** Parses `Retry-After` (delay-seconds or an HTTP date) into milliseconds; undefined when absent or bad. */
export function parseRetryAfter(header: string | null, now: number = Date.now()): number | undefined {
  if (header === null) return undefined;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

const RETRYABLE_GATEWAY_STATUSES = new Set([502, 504]);

/** Whether this failure of a request of this mode may be retried at all (attempts left aside). */
function isRetryable(reason: ApiError | NetworkError, mode: RetryMode): boolean {
  if (mode === 'never') return false;
  if (reason instanceof NetworkError) return mode === 'idempotent' || reason.notDelivered;
  if (reason.status === 429 || reason.status === 503) return true;
  return mode === 'idempotent' && RETRYABLE_GATEWAY_STATUSES.has(reason.status);
}

/**
 * The wait before the next attempt, or null to give up. A `Retry-After` longer than `maxDelayMs` (a
 * login lock-out lasts minutes) is not slept through: the error goes to the caller at once, carrying
 * `retryAfterMs`, so a person can be told when to come back instead of staring at a frozen screen.
 */
export function retryDecision(
  reason: ApiError | NetworkError,
  mode: RetryMode,
  attempt: number,
  policy: RetryPolicy,
  random: () => number,
): number | null {
  if (attempt > policy.retries || !isRetryable(reason, mode)) return null;
  if (reason instanceof ApiError && reason.retryAfterMs !== undefined) {
    return reason.retryAfterMs <= policy.maxDelayMs ? reason.retryAfterMs : null;
  }
  return backoffDelay(attempt, policy, random);
}
