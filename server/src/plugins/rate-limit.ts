/**
 * Per-address rate limits over the shared RateLimitStore (fixed one-minute windows): every request
 * counts against RATE_LIMIT_MAX, register and login also against AUTH_RATE_LIMIT_MAX. Operations
 * endpoints are exempt so probes and scrapers are never throttled.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../context';
import { DomainError } from '../lib/domain-error';

const WINDOW_MS = 60_000;
const EXEMPT = new Set(['/healthz', '/readyz', '/metrics']);

async function enforce(ctx: AppContext, key: string, max: number): Promise<void> {
  const window = await ctx.rateLimits.hit(key, WINDOW_MS);
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

export function registerRateLimits(app: FastifyInstance, ctx: AppContext): void {
  const { rateLimitMax } = ctx.config;
  if (rateLimitMax === 0) return;
  app.addHook('onRequest', async (request: FastifyRequest) => {
    if (EXEMPT.has(request.url.split('?')[0] ?? '')) return;
    await enforce(ctx, `rl:all:${request.ip}`, rateLimitMax);
  });
}

/** For register and login routes: the stricter per-address limit on credential guessing. */
export function authRateLimit(ctx: AppContext) {
  return async (request: FastifyRequest): Promise<void> => {
    if (ctx.config.authRateLimitMax === 0) return;
    await enforce(ctx, `rl:auth:${request.ip}`, ctx.config.authRateLimitMax);
  };
}
