/**
 * Per-address rate limits over the shared RateLimitStore (fixed one-minute windows): every request
 * counts against RATE_LIMIT_MAX, register and login also against AUTH_RATE_LIMIT_MAX. Operations
 * endpoints are exempt so probes and scrapers are never throttled.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { RateLimitStore } from '../infra/rate-limit-store';
import { DomainError } from '../lib/domain-error';

const WINDOW_MS = 60_000;
const EXEMPT = new Set(['/healthz', '/readyz', '/metrics']);

async function enforce(store: Pick<RateLimitStore, 'hit'>, key: string, max: number): Promise<void> {
  const window = await store.hit(key, WINDOW_MS);
  if (window.count > max) {
    const seconds = Math.max(1, Math.ceil((window.resetAt - Date.now()) / 1000));
    throw new DomainError(
      'RATE_LIMITED',
      `Too many requests; try again in ${seconds} s`,
      { retryAfterSeconds: seconds },
      {
        'retry-after': String(seconds),
      },
    );
  }
}

/** RATE_LIMIT_MAX and AUTH_RATE_LIMIT_MAX (0: off) over the shared store. */
export interface RateLimits {
  store: Pick<RateLimitStore, 'hit'>;
  rateLimitMax: number;
  authRateLimitMax: number;
}

export function registerRateLimits(app: FastifyInstance, { store, rateLimitMax }: RateLimits): void {
  if (rateLimitMax === 0) return;
  app.addHook('onRequest', async (request: FastifyRequest) => {
    if (EXEMPT.has(request.url.split('?')[0] ?? '')) return;
    await enforce(store, `rl:all:${request.ip}`, rateLimitMax);
  });
}

/** For register and login routes: the stricter per-address limit on credential guessing. */
export function authRateLimit({ store, authRateLimitMax }: RateLimits) {
  return async (request: FastifyRequest): Promise<void> => {
    if (authRateLimitMax === 0) return;
    await enforce(store, `rl:auth:${request.ip}`, authRateLimitMax);
  };
}
