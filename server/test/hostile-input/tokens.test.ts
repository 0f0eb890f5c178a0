/**
 * Hostile input, tokens and roles: every authenticated route refuses every bad token with 401
 * UNAUTHENTICATED (before it reads a body), a cached session is not trusted past its expiry, and a player
 * gets 403 FORBIDDEN from admin routes. See hostile.ts for what every refusal must be.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../src/db/client';
import { hashToken, sessionCacheKey, sessionRevisionKey } from '../../src/features/auth/auth.service';
import { api, call, register, type TestPlayer } from '../helpers/http';
import { backends, type TestServer } from '../helpers/server';
import {
  expectBooksUntouched,
  expectError,
  HELMET,
  HELMET_PRICE,
  type HostileServer,
  JSON_TYPE,
  NO_PLAYER,
  openHostileServer,
} from './hostile';

const b64 = (text: string) => Buffer.from(text).toString('base64url');

describe.each(backends)('hostile input: tokens and roles on %s', (backend) => {
  let hostile: HostileServer;
  let server: TestServer;
  let pilot: TestPlayer;
  const fill = (path: string) => hostile.fill(path);

  beforeAll(async () => {
    hostile = await openHostileServer(backend);
    ({ server, pilot } = hostile);
  });
  afterAll(async () => {
    await hostile?.server.close();
  });

  describe('tokens', () => {
    const AUTHENTICATED: { method: string; path: string; body?: unknown }[] = [
      { method: 'POST', path: '/auth/logout' },
      { method: 'GET', path: '/me' },
      { method: 'GET', path: '/me/balance' },
      { method: 'GET', path: '/me/items' },
      { method: 'GET', path: '/me/transactions' },
      { method: 'POST', path: `/me/items/${HELMET}/sell` },
      { method: 'GET', path: `/players/${NO_PLAYER}` },
      { method: 'POST', path: `/shop/items/${HELMET}/buy`, body: { expectedPrice: HELMET_PRICE } },
      { method: 'POST', path: '/admin/items', body: { name: 'Ghost ship', price: 1, power: 1 } },
      { method: 'PATCH', path: `/admin/items/${HELMET}`, body: { price: 1 } },
      { method: 'DELETE', path: `/admin/items/${HELMET}` },
      { method: 'POST', path: '/admin/players/{pilot}/credits', body: { amount: 1, reason: 'free money' } },
    ];
    let badAuthorization: [string, Record<string, string>][];

    beforeAll(async () => {
      // Expired before its first use, so no cached lookup can stand in for the database.
      const expired = await register(server);
      await server.ctx.database.db.execute(
        sql`UPDATE sessions SET expires_at = now() - interval '1 minute' WHERE player_id = ${expired.player.id}`,
      );
      const revoked = await register(server);
      expect((await call(server, 'POST', api('/auth/logout'), { token: revoked.token })).status).toBe(204);
      const revokedInDb = await register(server);
      await server.ctx.database.db.execute(
        sql`UPDATE sessions SET revoked_at = now() WHERE player_id = ${revokedInDb.player.id}`,
      );
      badAuthorization = [
        ['no Authorization header', {}],
        ['an unknown token', { authorization: `Bearer ${b64('x'.repeat(32))}` }],
        ['a short token', { authorization: 'Bearer abc' }],
        ['an overlong token', { authorization: `Bearer ${'a'.repeat(500)}` }],
        ['Bearer without a token', { authorization: 'Bearer' }],
        ['another scheme', { authorization: `Basic ${b64('pilot:password')}` }],
        ['the token without a scheme', { authorization: pilot.token }],
        ['two tokens', { authorization: `Bearer ${pilot.token} ${pilot.token}` }],
        ['an expired token', { authorization: `Bearer ${expired.token}` }],
        ['a token revoked by logout', { authorization: `Bearer ${revoked.token}` }],
        ['a token revoked in the database', { authorization: `Bearer ${revokedInDb.token}` }],
      ];
    });

    it.each(AUTHENTICATED)('$method $path: 401 UNAUTHENTICATED for every bad token', async (endpoint) => {
      for (const [label, headers] of badAuthorization) {
        const answer = await call(server, endpoint.method, api(fill(endpoint.path)), {
          headers,
          ...(endpoint.body === undefined ? {} : { body: endpoint.body }),
        });
        expect(answer.status, `${label}: ${answer.text}`).toBe(401);
        expectError(answer, 401, 'UNAUTHENTICATED');
      }
    });

    it.each(AUTHENTICATED.filter((e) => e.method !== 'GET'))(
      '$method $path: authentication comes before a malformed or oversized body',
      async (endpoint) => {
        for (const [label, headers] of badAuthorization) {
          for (const rawBody of ['{"broken', '[1,2', 'x'.repeat(64 * 1024)]) {
            const answer = await call(server, endpoint.method, api(fill(endpoint.path)), {
              rawBody,
              headers: { ...JSON_TYPE, ...headers },
            });
            expect(answer.status, `${label}, ${rawBody.length} bytes: ${answer.text}`).toBe(401);
            expectError(answer, 401, 'UNAUTHENTICATED');
          }
        }
      },
    );

    it('registering does not warm the session cache; an expired session is refused even when cached', async () => {
      const pilot2 = await register(server);
      const tokenHash = hashToken(pilot2.token);
      const revision = (await server.ctx.cache.get(sessionRevisionKey(tokenHash))) ?? '0';
      const key = sessionCacheKey(tokenHash, revision);
      expect(await server.ctx.cache.get(key)).toBeNull();
      expect((await call(server, 'GET', api('/me'), { token: pilot2.token })).status).toBe(200);
      const cached = JSON.parse((await server.ctx.cache.get(key))!) as {
        playerId: string;
        expiresAt: number;
      };
      expect(cached.playerId).toBe(pilot2.player.id);
      const [row] = rowsOf<{ expires_at: string | Date }>(
        await server.ctx.database.db.execute(
          sql`SELECT expires_at FROM sessions WHERE player_id = ${pilot2.player.id}`,
        ),
      );
      expect(cached.expiresAt).toBe(new Date(row!.expires_at).getTime());
      // The moment after expiry while the lookup is still cached (as it would be with a short TTL):
      await server.ctx.database.db.execute(
        sql`UPDATE sessions SET expires_at = now() - interval '1 second' WHERE player_id = ${pilot2.player.id}`,
      );
      await server.ctx.cache.set(key, JSON.stringify({ ...cached, expiresAt: Date.now() - 1000 }), 60);
      expectError(await call(server, 'GET', api('/me'), { token: pilot2.token }), 401, 'UNAUTHENTICATED');
    });

    it('admin endpoints give a player 403 FORBIDDEN, also with a bad body', async () => {
      const answer = await call(server, 'POST', api('/admin/items'), {
        token: pilot.token,
        rawBody: '{"broken',
        headers: JSON_TYPE,
      });
      expectError(answer, 403, 'FORBIDDEN');
      expectError(
        await call(server, 'DELETE', api(`/admin/items/${HELMET}`), { token: pilot.token }),
        403,
        'FORBIDDEN',
      );
    });
  });

  it('after all of it, the pilot\u2019s books are untouched and balanced', async () => {
    await expectBooksUntouched(hostile);
  });
});
