/**
 * Hostile input, floods: the per-address and auth rate limits, and the failed-login lock (per address and
 * per nickname, on each rate-limit store). See hostile.ts for what every refusal must be.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app';
import { parseConfig } from '../../src/config';
import { wire } from '../../src/bootstrap';
import { MemoryRateLimitStore } from '../../src/infra/rate-limit-store';
import { type Answer, api, books, call, register, type TestPlayer, uniqueNickname } from '../helpers/http';
import { backends, startServer, type TestServer } from '../helpers/server';
import { redisConfigured, TEST_REDIS_URL } from '../infra/redis-helpers';
import { expectError, type HostileServer, openHostileServer } from './hostile';

describe.each(backends)('hostile input: rate limits on %s', (backend) => {
  let hostile: HostileServer;
  let server: TestServer;

  beforeAll(async () => {
    hostile = await openHostileServer(backend);
    ({ server } = hostile);
  });
  afterAll(async () => {
    await hostile?.server.close();
  });

  describe('rate limits', () => {
    const closing: TestServer[] = [];
    afterAll(async () => {
      await Promise.all(closing.map((s) => s.close()));
    });

    /**
     * Another app with the limits of `env` (through the real parser) over this backend's database, with
     * its own rate-limit counters: a second embedded database would cost many seconds per start.
     */
    async function startLimited(env: Record<string, string>): Promise<TestServer> {
      const limits = parseConfig({ RATE_LIMIT_MAX: '0', AUTH_RATE_LIMIT_MAX: '0', ...env });
      const base = {
        ...server.ctx,
        config: {
          ...server.ctx.config,
          rateLimitMax: limits.rateLimitMax,
          authRateLimitMax: limits.authRateLimitMax,
          loginMaxFailures: limits.loginMaxFailures,
        },
        rateLimits: new MemoryRateLimitStore(),
      };
      // Services are built once per context: this one's, with its own limits.
      const ctx = wire(base);
      const app = await buildApp(ctx, { logger: false });
      await app.listen({ port: 0, host: '127.0.0.1' });
      const address = app.server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      const limited: TestServer = {
        url: `http://127.0.0.1:${port}`,
        app,
        ctx,
        databaseUrl: server.databaseUrl,
        close: () => app.close(),
      };
      closing.push(limited);
      return limited;
    }

    function expectRateLimited(answer: Answer, maxSeconds: number): number {
      expectError(answer, 429, 'RATE_LIMITED');
      const retryAfter = answer.headers.get('retry-after');
      expect(retryAfter).toMatch(/^\d+$/);
      const seconds = Number(retryAfter);
      expect(seconds).toBeGreaterThanOrEqual(1);
      expect(seconds).toBeLessThanOrEqual(maxSeconds);
      return seconds;
    }

    it('AUTH_RATE_LIMIT_MAX=3: the 4th register or login in a minute is a 429 with Retry-After', async () => {
      const limited = await startLimited({ AUTH_RATE_LIMIT_MAX: '3' });
      const first = await register(limited);
      expect(
        (
          await call(limited, 'POST', api('/auth/login'), {
            body: { nickname: first.nickname, password: first.password },
          })
        ).status,
      ).toBe(200);
      // Refused attempts count too: this is a limit on guessing.
      expect(
        (
          await call(limited, 'POST', api('/auth/login'), {
            body: { nickname: first.nickname, password: 'wrong password' },
          })
        ).status,
      ).toBe(401);
      const fourth = await call(limited, 'POST', api('/auth/register'), {
        body: { nickname: uniqueNickname(), password: 'long enough password' },
      });
      expectRateLimited(fourth, 60);
      expectRateLimited(
        await call(limited, 'POST', api('/auth/login'), {
          body: { nickname: first.nickname, password: first.password },
        }),
        60,
      );
      // Other routes are not counted against the auth limit.
      expect((await call(limited, 'GET', api('/me'), { token: first.token })).status).toBe(200);
      expect((await call(limited, 'GET', api('/shop/items'))).status).toBe(200);
    });

    it('RATE_LIMIT_MAX=5 limits every route but the operations endpoints', async () => {
      const limited = await startLimited({ RATE_LIMIT_MAX: '5' });
      for (let i = 0; i < 5; i++)
        expect((await call(limited, 'GET', api('/shop/items?limit=1'))).status).toBe(200);
      expectRateLimited(await call(limited, 'GET', api('/shop/items?limit=1')), 60);
      expectRateLimited(await call(limited, 'GET', api('/shop/items/3')), 60);
      expectRateLimited(await call(limited, 'GET', api('/me')), 60); // before authentication
      expectRateLimited(
        await call(limited, 'POST', api('/auth/register'), {
          body: { nickname: uniqueNickname(), password: 'long enough password' },
        }),
        60,
      );
      for (let i = 0; i < 10; i++) {
        expect((await call(limited, 'GET', '/healthz')).status).toBe(200);
        expect((await call(limited, 'GET', '/readyz')).status).toBe(200);
      }
      expect((await call(limited, 'GET', '/metrics')).status).toBe(200);
    });

    it('LOGIN_MAX_FAILURES=3 locks a nickname (from that address) after 3 wrong passwords; the right one does not bypass it', async () => {
      const limited = await startLimited({ LOGIN_MAX_FAILURES: '3' });
      const victim = await register(limited);
      const bystander = await register(limited);
      const wrong = { nickname: victim.nickname, password: 'not the password' };
      // The failures come before the lock: the 3rd wrong password is still a 401, the 4th attempt a 429.
      for (let i = 0; i < 3; i++) {
        expectError(
          await call(limited, 'POST', api('/auth/login'), { body: wrong }),
          401,
          'INVALID_CREDENTIALS',
        );
      }
      expectRateLimited(await call(limited, 'POST', api('/auth/login'), { body: wrong }), 600);
      const right = { nickname: victim.nickname, password: victim.password };
      const bypass = await call(limited, 'POST', api('/auth/login'), { body: right });
      expectRateLimited(bypass, 600);
      // The same nickname in another case is the same account, and locked too.
      expectRateLimited(
        await call(limited, 'POST', api('/auth/login'), {
          body: { ...right, nickname: victim.nickname.toUpperCase() },
        }),
        600,
      );
      // No bonus was paid to the locked account; others still log in.
      expect((await books(limited, victim.player.id)).ledgerRows).toBe(1);
      const other = await call(limited, 'POST', api('/auth/login'), {
        body: { nickname: bystander.nickname, password: bystander.password },
      });
      expect(other.status, other.text).toBe(200);
      // The session the victim already had is not affected by the lock.
      expect((await call(limited, 'GET', api('/me'), { token: victim.token })).status).toBe(200);
    });
  });
});

describe.each(
  backends.flatMap((backend) =>
    (redisConfigured ? ['memory', 'redis'] : ['memory']).map((store) => ({ backend, store })),
  ),
)('the failed-login lock on $backend with the $store store', ({ backend, store }) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer(
      backend,
      { TRUST_PROXY: 'true', ...(store === 'redis' ? { REDIS_URL: TEST_REDIS_URL } : {}) },
      { redisKeyPrefix: `lock-${randomBytes(4).toString('hex')}:` },
    );
  });
  afterAll(async () => {
    await server?.close();
  });

  const login = (player: TestPlayer, password: string, address: string) =>
    call(server, 'POST', api('/auth/login'), {
      body: { nickname: player.nickname, password },
      headers: { 'x-forwarded-for': address },
    });

  it('five failures come before the lock: the 5th is a 401, the 6th a 429', async () => {
    const victim = await register(server);
    for (let i = 1; i <= 5; i++) {
      expectError(await login(victim, 'wrong password', '203.0.113.5'), 401, 'INVALID_CREDENTIALS');
    }
    const sixth = await login(victim, 'wrong password', '203.0.113.5');
    expectError(sixth, 429, 'RATE_LIMITED');
    expect(Number(sixth.headers.get('retry-after'))).toBeGreaterThan(0);
    // Locked from that address, even with the right password.
    expectError(await login(victim, victim.password, '203.0.113.5'), 429, 'RATE_LIMITED');
  });

  it("someone else's failures do not lock the pilot out: the right password from another address gets in", async () => {
    const victim = await register(server);
    for (let i = 0; i < 8; i++) await login(victim, 'wrong password', '198.51.100.7');
    expectError(await login(victim, 'wrong password', '198.51.100.7'), 429, 'RATE_LIMITED');
    const own = await login(victim, victim.password, '192.0.2.44');
    expect(own.status, own.text).toBe(200);
  });

  it('failures spread over many addresses meet the slower per-nickname limit', async () => {
    const victim = await register(server);
    // LOGIN_MAX_FAILURES (5) x 10 failures per lock window from all addresses together.
    let lockedAt = 0;
    for (let i = 1; i <= 60; i++) {
      const answer = await login(victim, 'wrong password', `10.0.${Math.floor(i / 4)}.${i % 4}`);
      if (answer.status === 429) {
        lockedAt = i;
        break;
      }
      expect(answer.status, answer.text).toBe(401);
    }
    expect(lockedAt).toBe(51);
  });
});
