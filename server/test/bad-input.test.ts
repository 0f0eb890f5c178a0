/**
 * Bad input on every endpoint of API.md: wrong types, missing and unknown fields, out-of-range values,
 * oversized and malformed bodies, foreign content types, bad cursors, path ids and headers, bad tokens,
 * Idempotency-Key misuse, and the rate limits. Every refusal must be a 4xx with exactly the error body
 * `{error: {code, message, details?}}` (details naming the field for validation errors), never a stack
 * trace, and must change nothing.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app';
import { wire } from '../src/bootstrap';
import { parseConfig } from '../src/config';
import { rowsOf } from '../src/db/client';
import { hashToken, sessionCacheKey, sessionRevisionKey } from '../src/features/auth/auth.service';
import { MemoryRateLimitStore } from '../src/infra/rate-limit-store';
import {
  type Answer,
  api,
  books,
  call,
  fund,
  makeAdmin,
  register,
  type TestPlayer,
  uniqueNickname,
} from './helpers/http';
import { backends, startServer, type TestServer } from './helpers/server';

const JSON_TYPE = { 'content-type': 'application/json' };
const NO_PLAYER = '00000000-0000-4000-8000-000000000000';
const HELMET = 3; // "Боевой шлем", 50.99 credits
const HELMET_PRICE = 5099;

/** Stack frames, source paths and stack properties: none may ever reach a client. */
const LEAK = /\n\s*at |\bat [^\s]+ \(|:\d+:\d+\)|node_modules|\/work\/|\/src\/|\.ts:\d|\.js:\d|"stack"/;

/** Exactly `{error: {code, message, details?}}`, as JSON, with the status that goes with the code. */
function expectError(answer: Answer, status: number, code: string): void {
  expect(answer.status, answer.text).toBe(status);
  expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
  expect(answer.body).toBeTypeOf('object');
  expect(Object.keys(answer.body)).toEqual(['error']);
  const error = answer.body.error as Record<string, unknown>;
  expect(Object.keys(error).filter((key) => !['code', 'message', 'details'].includes(key))).toEqual([]);
  expect(error.code).toBe(code);
  expect(error.message).toBeTypeOf('string');
  expect((error.message as string).length).toBeGreaterThan(0);
  expect(answer.text).not.toMatch(LEAK);
}

/** A 400 VALIDATION_ERROR whose details name `field` (e.g. 'body/price', 'querystring/limit'). */
function expectInvalid(answer: Answer, field: string): void {
  expectError(answer, 400, 'VALIDATION_ERROR');
  const details = answer.body.error.details as { field: string; message: string }[];
  expect(Array.isArray(details), answer.text).toBe(true);
  expect(details.map((d) => d.field)).toContain(field);
  for (const detail of details) expect(detail.message).toBeTypeOf('string');
}

function expectClientError(answer: Answer): void {
  expect(answer.status, answer.text).toBeGreaterThanOrEqual(400);
  expect(answer.status, answer.text).toBeLessThan(500);
  expect(Object.keys(answer.body)).toEqual(['error']);
  expect(answer.text).not.toMatch(LEAK);
}

const b64 = (text: string) => Buffer.from(text).toString('base64url');

/** A request body of exactly `bytes` bytes that is valid JSON credentials with a long password. */
function credentialsOfSize(bytes: number): string {
  const frame = JSON.stringify({ nickname: 'sizer', password: '' });
  return JSON.stringify({ nickname: 'sizer', password: 'p'.repeat(bytes - frame.length) });
}

type Actor = 'none' | 'pilot' | 'boss';

interface BodyCase {
  label: string;
  method: string;
  path: string;
  as: Actor;
  body: unknown;
  field: string;
}

describe.each(backends)('bad input on %s', (backend) => {
  let server: TestServer;
  let pilot: TestPlayer; // owns the helmet and has money: any request that slips through shows in its books
  let boss: TestPlayer;
  let pilotBooks: Awaited<ReturnType<typeof books>>;

  const tokenOf = (actor: Actor) =>
    actor === 'pilot' ? pilot.token : actor === 'boss' ? boss.token : undefined;
  const fill = (path: string) => path.replace('{pilot}', pilot.player.id);

  beforeAll(async () => {
    server = await startServer(backend);
    pilot = await register(server);
    await fund(server, pilot.player.id, 1_000_000);
    const bought = await call(server, 'POST', api(`/shop/items/${HELMET}/buy`), { token: pilot.token });
    expect(bought.status).toBe(200);
    boss = await register(server);
    await makeAdmin(server, boss.player.id);
    pilotBooks = await books(server, pilot.player.id);
  });
  afterAll(async () => {
    await server?.close();
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

  describe('bodies: types, missing and unknown fields, ranges', () => {
    const credentials = { nickname: 'Wrongtyper', password: 'long enough password' };
    const item = { name: 'Test probe', price: 1000, power: 5 };
    const grant = { amount: 100, reason: 'bonus' };
    const cases: BodyCase[] = [];
    for (const route of ['/auth/register', '/auth/login']) {
      const c = (label: string, body: unknown, field: string) =>
        cases.push({ label: `${route}: ${label}`, method: 'POST', path: route, as: 'none', body, field });
      c('number for the nickname', { ...credentials, nickname: 12345 }, 'body/nickname');
      c('boolean for the nickname', { ...credentials, nickname: true }, 'body/nickname');
      c('null nickname', { ...credentials, nickname: null }, 'body/nickname');
      c('array nickname', { ...credentials, nickname: ['Wrongtyper'] }, 'body/nickname');
      c('number for the password', { ...credentials, password: 12345678 }, 'body/password');
      c('object for the password', { ...credentials, password: { value: 'x' } }, 'body/password');
      c('missing nickname', { password: credentials.password }, 'body/nickname');
      c('missing password', { nickname: credentials.nickname }, 'body/password');
      c('empty object', {}, 'body/nickname');
      c('unknown field', { ...credentials, email: 'a@b.c' }, 'body/email');
      c('a role smuggled in', { ...credentials, role: 'admin' }, 'body/role');
      c('an array body', [credentials], 'body');
      c('a string body', 'Wrongtyper', 'body');
      c('a number body', 42, 'body');
    }
    const buy = (label: string, body: unknown, field: string) =>
      cases.push({
        label: `buy: ${label}`,
        method: 'POST',
        path: '/shop/items/1/buy',
        as: 'pilot',
        body,
        field,
      });
    buy('"5" for expectedPrice', { expectedPrice: '150075' }, 'body/expectedPrice');
    buy('a float for expectedPrice', { expectedPrice: 150075.5 }, 'body/expectedPrice');
    buy('negative expectedPrice', { expectedPrice: -1 }, 'body/expectedPrice');
    buy('boolean expectedPrice', { expectedPrice: true }, 'body/expectedPrice');
    buy('null expectedPrice', { expectedPrice: null }, 'body/expectedPrice');
    buy('1e20 for expectedPrice', { expectedPrice: 1e20 }, 'body/expectedPrice');
    buy('unknown field', { price: 150075 }, 'body/price');
    buy('an array body', [], 'body');
    const create = (label: string, body: unknown, field: string) =>
      cases.push({
        label: `create item: ${label}`,
        method: 'POST',
        path: '/admin/items',
        as: 'boss',
        body,
        field,
      });
    create('"5" for the price', { ...item, price: '5' }, 'body/price');
    create('10.5 for the price', { ...item, price: 10.5 }, 'body/price');
    create('negative price', { ...item, price: -1 }, 'body/price');
    create('boolean price', { ...item, price: true }, 'body/price');
    create('price 1e20', { ...item, price: 1e20 }, 'body/price');
    create('price over MAX_MONEY', { ...item, price: 1_000_000_000_000_001 }, 'body/price');
    create('fractional power', { ...item, power: 1.5 }, 'body/power');
    create('negative power', { ...item, power: -1 }, 'body/power');
    create('"5" for the power', { ...item, power: '5' }, 'body/power');
    create('power over 1000000', { ...item, power: 1_000_001 }, 'body/power');
    create('number for the name', { ...item, name: 5 }, 'body/name');
    create('empty name', { ...item, name: '' }, 'body/name');
    create('blank name', { ...item, name: '   ' }, 'body/name');
    create('name over 100 characters', { ...item, name: 'n'.repeat(101) }, 'body/name');
    create('missing name', { price: 1, power: 1 }, 'body/name');
    create('missing price', { name: 'x', power: 1 }, 'body/price');
    create('missing power', { name: 'x', price: 1 }, 'body/power');
    create('unknown field', { ...item, id: 99 }, 'body/id');
    const patch = (label: string, body: unknown, field: string) =>
      cases.push({
        label: `patch item: ${label}`,
        method: 'PATCH',
        path: `/admin/items/${HELMET}`,
        as: 'boss',
        body,
        field,
      });
    patch('empty object', {}, 'body');
    patch('10.5 for the price', { price: 10.5 }, 'body/price');
    patch('"1" for the power', { power: '1' }, 'body/power');
    patch('null name', { name: null }, 'body/name');
    patch('unknown field', { colour: 'red' }, 'body/colour');
    const credit = (label: string, body: unknown, field: string) =>
      cases.push({
        label: `grant: ${label}`,
        method: 'POST',
        path: '/admin/players/{pilot}/credits',
        as: 'boss',
        body,
        field,
      });
    credit('"5" for the amount', { ...grant, amount: '5' }, 'body/amount');
    credit('10.5 for the amount', { ...grant, amount: 10.5 }, 'body/amount');
    credit('negative amount', { ...grant, amount: -5 }, 'body/amount');
    credit('zero amount', { ...grant, amount: 0 }, 'body/amount');
    credit('boolean amount', { ...grant, amount: true }, 'body/amount');
    credit('amount 1e20', { ...grant, amount: 1e20 }, 'body/amount');
    credit('missing amount', { reason: 'x' }, 'body/amount');
    credit('missing reason', { amount: 5 }, 'body/reason');
    credit('number for the reason', { ...grant, reason: 5 }, 'body/reason');
    credit('empty reason', { ...grant, reason: '' }, 'body/reason');
    credit('reason over 200 characters', { ...grant, reason: 'r'.repeat(201) }, 'body/reason');
    credit('unknown field', { ...grant, note: 'x' }, 'body/note');
    // Routes that take no body refuse one with fields rather than drop it.
    cases.push(
      {
        label: 'sell: unknown field',
        method: 'POST',
        path: `/me/items/${HELMET}/sell`,
        as: 'pilot',
        body: { price: 1 },
        field: 'body/price',
      },
      {
        label: 'sell: an array body',
        method: 'POST',
        path: `/me/items/${HELMET}/sell`,
        as: 'pilot',
        body: [1],
        field: 'body',
      },
      {
        label: 'logout: unknown field',
        method: 'POST',
        path: '/auth/logout',
        as: 'pilot',
        body: { everywhere: true },
        field: 'body/everywhere',
      },
      {
        label: 'retire item: unknown field',
        method: 'DELETE',
        path: `/admin/items/${HELMET}`,
        as: 'boss',
        body: { force: true },
        field: 'body/force',
      },
    );

    it.each(cases)('$label → 400 naming $field', async (c) => {
      const answer = await call(server, c.method, api(fill(c.path)), { token: tokenOf(c.as), body: c.body });
      expectInvalid(answer, c.field);
    });

    it('none of them registered anyone, moved money, sold, logged out or changed the catalog', async () => {
      expectError(
        await call(server, 'POST', api('/auth/login'), { body: credentials }),
        404,
        'PLAYER_NOT_FOUND',
      );
      expect(await books(server, pilot.player.id)).toEqual(pilotBooks);
      expect((await call(server, 'GET', api('/me'), { token: pilot.token })).status).toBe(200);
      const helmet = await call(server, 'GET', api(`/shop/items/${HELMET}`));
      expect(helmet.body).toMatchObject({ id: HELMET, price: HELMET_PRICE });
      const probes = await call(server, 'GET', api(`/shop/items?search=${encodeURIComponent('Test probe')}`));
      expect(probes.body.items).toEqual([]);
    });

    it('a body-less route still takes no body, an empty one, or {}', async () => {
      for (const options of [{}, { body: {} }, { rawBody: '', headers: { 'content-type': 'text/plain' } }]) {
        const someone = await register(server);
        const out = await call(server, 'POST', api('/auth/logout'), { token: someone.token, ...options });
        expect(out.status, out.text).toBe(204);
      }
    });
  });

  describe('nicknames and passwords', () => {
    it.each([
      ['too short', 'ab'],
      ['too long (33)', 'n'.repeat(33)],
      ['empty', ''],
      ['with a space', 'two words'],
      ['with a tab', 'tab\there'],
      ['with an emoji', 'pilot😀x'],
      ['with markup', '<script>'],
      ['with dots', 'a.b.c'],
      ['with an apostrophe', "O'Brien"],
      ['with a slash', 'path/name'],
      ['with a NUL', 'nul\u0000name'],
      ['with a zero-width joiner', 'zero\u200dwidth'],
    ])('refuses a nickname %s', async (_label, nickname) => {
      for (const route of ['/auth/register', '/auth/login']) {
        const answer = await call(server, 'POST', api(route), {
          body: { nickname, password: 'long enough password' },
        });
        expectInvalid(answer, 'body/nickname');
      }
    });

    it.each([
      ['Cyrillic with a digit', 'Юрий_2'],
      ['Chinese', '李小龙'],
      ['accents and a hyphen', 'Ñandú-3'],
      ['Greek', 'Ἀχιλλεύς'],
      ['exactly 3 characters', 'Zed'],
      ['exactly 32 characters', `L${'x'.repeat(31)}`],
    ])('accepts a nickname in %s, and logs it in', async (_label, nickname) => {
      const created = await call(server, 'POST', api('/auth/register'), {
        body: { nickname, password: 'long enough password' },
      });
      expect(created.status, created.text).toBe(201);
      expect(created.body.player.nickname).toBe(nickname);
      const login = await call(server, 'POST', api('/auth/login'), {
        body: { nickname, password: 'long enough password' },
      });
      expect(login.status, login.text).toBe(200);
    });

    it('takes passwords of 8..128 characters only', async () => {
      for (const route of ['/auth/register', '/auth/login']) {
        for (const password of ['1234567', 'p'.repeat(129), '']) {
          const answer = await call(server, 'POST', api(route), {
            body: { nickname: uniqueNickname(), password },
          });
          expectInvalid(answer, 'body/password');
        }
      }
      for (const password of ['12345678', 'p'.repeat(128), 'пароль-из-юникода']) {
        const nickname = uniqueNickname();
        expect(
          (await call(server, 'POST', api('/auth/register'), { body: { nickname, password } })).status,
        ).toBe(201);
        expect(
          (await call(server, 'POST', api('/auth/login'), { body: { nickname, password } })).status,
        ).toBe(200);
      }
    });
  });

  describe('query strings', () => {
    const LISTS: [string, Actor][] = [
      ['/shop/items', 'none'],
      ['/me/items', 'pilot'],
      ['/me/transactions', 'pilot'],
    ];

    it.each(LISTS)('%s refuses a bad limit, an unknown parameter and bad cursors', async (path, actor) => {
      const token = tokenOf(actor);
      for (const limit of ['101', '0', '-1', 'abc', '1.5', '', '1000000000000']) {
        expectInvalid(
          await call(server, 'GET', api(`${path}?limit=${limit}`), { token }),
          'querystring/limit',
        );
      }
      expectInvalid(await call(server, 'GET', api(`${path}?sort=name`), { token }), 'querystring/sort');
      const cursors = [
        '!!!garbage!!!',
        'bm90LWpzb24',
        b64('{"id":5}'),
        b64('["x"]'),
        b64('[-1]'),
        b64('[1.5]'),
        b64('[1,2]'),
        b64('[1e300]'),
        b64('[]'),
        'a'.repeat(201),
        '',
      ];
      for (const cursor of cursors) {
        const answer = await call(server, 'GET', api(`${path}?cursor=${encodeURIComponent(cursor)}`), {
          token,
        });
        expectInvalid(answer, 'querystring/cursor');
      }
      for (const limit of ['1', '100']) {
        expect((await call(server, 'GET', api(`${path}?limit=${limit}`), { token })).status).toBe(200);
      }
    });

    it('/shop/items refuses an empty or overlong search', async () => {
      expectInvalid(await call(server, 'GET', api('/shop/items?search=')), 'querystring/search');
      expectInvalid(
        await call(server, 'GET', api(`/shop/items?search=${'s'.repeat(65)}`)),
        'querystring/search',
      );
    });
  });

  describe('path ids', () => {
    const BAD_ITEM_IDS = ['0', '-1', '1.5', '99999999999', '2147483648', 'abc', '3abc'];
    const ITEM_ROUTES: { method: string; path: string; as: Actor; body?: unknown; param: string }[] = [
      { method: 'GET', path: '/shop/items/:id', as: 'none', param: 'params/id' },
      { method: 'POST', path: '/shop/items/:id/buy', as: 'pilot', param: 'params/id' },
      { method: 'POST', path: '/me/items/:id/sell', as: 'pilot', param: 'params/itemId' },
      { method: 'PATCH', path: '/admin/items/:id', as: 'boss', body: { power: 1 }, param: 'params/id' },
      { method: 'DELETE', path: '/admin/items/:id', as: 'boss', param: 'params/id' },
    ];

    it.each(ITEM_ROUTES)(
      '$method $path refuses item ids that are not positive 32-bit integers',
      async (route) => {
        for (const id of BAD_ITEM_IDS) {
          const answer = await call(server, route.method, api(route.path.replace(':id', id)), {
            token: tokenOf(route.as),
            ...(route.body === undefined ? {} : { body: route.body }),
          });
          expectInvalid(answer, route.param);
        }
      },
    );

    it('an unknown but well-formed item id is a 404 ITEM_NOT_FOUND, not a validation error', async () => {
      expectError(await call(server, 'GET', api('/shop/items/2147483647')), 404, 'ITEM_NOT_FOUND');
    });

    it('player ids must be UUIDs', async () => {
      for (const id of [
        'not-a-uuid',
        '123',
        NO_PLAYER.slice(0, -1),
        `${NO_PLAYER}0`,
        'zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz',
      ]) {
        expectInvalid(await call(server, 'GET', api(`/players/${id}`), { token: pilot.token }), 'params/id');
        expectInvalid(
          await call(server, 'POST', api(`/admin/players/${id}/credits`), {
            token: boss.token,
            body: { amount: 1, reason: 'x' },
          }),
          'params/id',
        );
      }
      expectError(
        await call(server, 'GET', api(`/players/${NO_PLAYER}`), { token: pilot.token }),
        404,
        'PLAYER_NOT_FOUND',
      );
    });
  });

  describe('raw bodies and content types', () => {
    const BODY_ROUTES: { method: string; path: string; as: Actor }[] = [
      { method: 'POST', path: '/auth/register', as: 'none' },
      { method: 'POST', path: '/auth/login', as: 'none' },
      { method: 'POST', path: '/shop/items/1/buy', as: 'pilot' },
      { method: 'POST', path: '/admin/items', as: 'boss' },
      { method: 'PATCH', path: `/admin/items/${HELMET}`, as: 'boss' },
      { method: 'POST', path: '/admin/players/{pilot}/credits', as: 'boss' },
    ];

    it.each(BODY_ROUTES)('$method $path: malformed JSON is a 400 VALIDATION_ERROR on body', async (route) => {
      const malformed = [
        '{"broken',
        '{"amount": 1,}',
        "{'single': 'quotes'}",
        '{"a":1}{"b":2}',
        'nul',
        '',
        '{"__proto__": {"role": "admin"}}',
        '{"constructor": {"prototype": {"role": "admin"}}}',
      ];
      for (const rawBody of malformed) {
        const answer = await call(server, route.method, api(fill(route.path)), {
          token: tokenOf(route.as),
          rawBody,
          headers: JSON_TYPE,
        });
        expectInvalid(answer, 'body');
      }
    });

    it.each(BODY_ROUTES)('$method $path: a 10 MB body is a 413 PAYLOAD_TOO_LARGE', async (route) => {
      const answer = await call(server, route.method, api(fill(route.path)), {
        token: tokenOf(route.as),
        body: { name: 'x'.repeat(10 * 1024 * 1024) },
      });
      expectError(answer, 413, 'PAYLOAD_TOO_LARGE');
    });

    it('the body limit is 16 KiB', async () => {
      const atLimit = await call(server, 'POST', api('/auth/register'), {
        rawBody: credentialsOfSize(16 * 1024),
        headers: JSON_TYPE,
      });
      expectInvalid(atLimit, 'body/password'); // read and validated, not refused for its size
      const over = await call(server, 'POST', api('/auth/register'), {
        rawBody: credentialsOfSize(16 * 1024 + 1),
        headers: JSON_TYPE,
      });
      expectError(over, 413, 'PAYLOAD_TOO_LARGE');
    });

    it('a body that is not JSON is a 4xx with the error body, and registers nobody', async () => {
      const nickname = uniqueNickname('typed');
      const json = JSON.stringify({ nickname, password: 'long enough password' });
      const seen = new Map<string, number>();
      for (const contentType of [
        'text/plain',
        'application/x-www-form-urlencoded',
        'application/xml',
        'application/octet-stream',
        'multipart/form-data; boundary=xyz',
        'application/jsonx',
      ]) {
        const answer = await call(server, 'POST', api('/auth/register'), {
          rawBody: json,
          headers: { 'content-type': contentType },
        });
        expectClientError(answer);
        if (answer.status === 415) expectError(answer, 415, 'UNSUPPORTED_MEDIA_TYPE');
        else expectError(answer, 400, 'VALIDATION_ERROR');
        seen.set(contentType, answer.status);
      }
      // Every type but JSON is a 415, text/plain included (issue 10).
      expect(seen.get('text/plain')).toBe(415);
      expect(seen.get('application/xml')).toBe(415);
      expectError(
        await call(server, 'POST', api('/auth/login'), {
          body: { nickname, password: 'long enough password' },
        }),
        404,
        'PLAYER_NOT_FOUND',
      );
      const withCharset = await call(server, 'POST', api('/auth/register'), {
        rawBody: json,
        headers: { 'content-type': 'application/json; charset=utf-8' },
      });
      expect(withCharset.status).toBe(201);
    });

    it('unknown routes and methods get the error body', async () => {
      expectError(await call(server, 'GET', api('/nowhere')), 404, 'NOT_FOUND');
      expectError(await call(server, 'PUT', api(`/shop/items/${HELMET}`), { body: {} }), 404, 'NOT_FOUND');
      expectError(await call(server, 'POST', api('/me'), { token: pilot.token }), 404, 'NOT_FOUND');
    });
  });

  describe('Idempotency-Key', () => {
    let buyer: TestPlayer;
    beforeAll(async () => {
      buyer = await register(server);
      await fund(server, buyer.player.id, 1_000_000);
    });

    it('refuses an empty, overlong or non-ASCII key on every money move, and does nothing', async () => {
      const before = await books(server, buyer.player.id);
      const moves: { method: string; path: string; token: () => string; body?: unknown }[] = [
        { method: 'POST', path: '/shop/items/5/buy', token: () => buyer.token },
        { method: 'POST', path: `/me/items/${HELMET}/sell`, token: () => pilot.token },
        {
          method: 'POST',
          path: `/admin/players/${NO_PLAYER}/credits`,
          token: () => boss.token,
          body: { amount: 1, reason: 'x' },
        },
      ];
      const keys = [
        '',
        'k'.repeat(129),
        'clé', // é is sent as the byte 0xE9
        Buffer.from('ключ', 'utf8').toString('latin1'), // UTF-8 bytes as they arrive
        'tab\tinside',
      ];
      for (const move of moves) {
        for (const key of keys) {
          const answer = await call(server, move.method, api(move.path), {
            token: move.token(),
            headers: { 'idempotency-key': key },
            ...(move.body === undefined ? {} : { body: move.body }),
          });
          expectInvalid(answer, 'headers/idempotency-key');
        }
      }
      expect(await books(server, buyer.player.id)).toEqual(before);
      expect(await books(server, pilot.player.id)).toEqual(pilotBooks);
    });

    it('accepts 128 printable ASCII characters, spaces included', async () => {
      const key = ` ~!${'k'.repeat(122)}{} `;
      expect(key).toHaveLength(128);
      const answer = await call(server, 'GET', api('/shop/items/6'));
      const bought = await call(server, 'POST', api('/shop/items/6/buy'), {
        token: buyer.token,
        headers: { 'idempotency-key': key },
        body: { expectedPrice: answer.body.price },
      });
      expect(bought.status, bought.text).toBe(200);
    });

    it('replays the first answer byte for byte, flagged, without doing the work again', async () => {
      const key = 'replay-buy-5';
      const first = await call(server, 'POST', api('/shop/items/5/buy'), {
        token: buyer.token,
        headers: { 'idempotency-key': key },
      });
      expect(first.status, first.text).toBe(200);
      expect(first.headers.get('idempotent-replayed')).toBeNull();
      const after = await books(server, buyer.player.id);
      for (const body of [undefined, {}]) {
        const again = await call(server, 'POST', api('/shop/items/5/buy'), {
          token: buyer.token,
          headers: { 'idempotency-key': key },
          ...(body === undefined ? {} : { body }),
        });
        expect(again.status).toBe(first.status);
        expect(again.text).toBe(first.text);
        expect(again.headers.get('idempotent-replayed')).toBe('true');
      }
      expect(await books(server, buyer.player.id)).toEqual(after);

      // A refusal is replayed the same way.
      const refused = await call(server, 'POST', api('/shop/items/5/buy'), {
        token: buyer.token,
        headers: { 'idempotency-key': 'replay-refusal' },
      });
      expectError(refused, 409, 'ALREADY_OWNED');
      const refusedAgain = await call(server, 'POST', api('/shop/items/5/buy'), {
        token: buyer.token,
        headers: { 'idempotency-key': 'replay-refusal' },
      });
      expect(refusedAgain.status).toBe(409);
      expect(refusedAgain.text).toBe(refused.text);
      expect(refusedAgain.headers.get('idempotent-replayed')).toBe('true');
    });

    it('answers 409 IDEMPOTENCY_KEY_REUSED to the same key with another path, endpoint or body', async () => {
      const key = 'reuse-buy-7';
      expect(
        (
          await call(server, 'POST', api('/shop/items/7/buy'), {
            token: buyer.token,
            headers: { 'idempotency-key': key },
          })
        ).status,
      ).toBe(200);
      const before = await books(server, buyer.player.id);
      const reuses: { method: string; path: string; body?: unknown }[] = [
        { method: 'POST', path: '/shop/items/8/buy' },
        { method: 'POST', path: '/me/items/7/sell' },
        { method: 'POST', path: '/shop/items/7/buy', body: { expectedPrice: 1 } },
      ];
      for (const reuse of reuses) {
        const answer = await call(server, reuse.method, api(reuse.path), {
          token: buyer.token,
          headers: { 'idempotency-key': key },
          ...(reuse.body === undefined ? {} : { body: reuse.body }),
        });
        expectError(answer, 409, 'IDEMPOTENCY_KEY_REUSED');
        expect(answer.headers.get('idempotent-replayed')).toBeNull();
      }
      expect(await books(server, buyer.player.id)).toEqual(before);

      const grantKey = { 'idempotency-key': 'grant-once' };
      const path = api(`/admin/players/${buyer.player.id}/credits`);
      const granted = await call(server, 'POST', path, {
        token: boss.token,
        headers: grantKey,
        body: { amount: 5, reason: 'x' },
      });
      expect(granted.status).toBe(200);
      const sameFieldsOtherOrder = await call(server, 'POST', path, {
        token: boss.token,
        rawBody: '{"reason":"x","amount":5}',
        headers: { ...grantKey, ...JSON_TYPE },
      });
      expect(sameFieldsOtherOrder.text).toBe(granted.text);
      expect(sameFieldsOtherOrder.headers.get('idempotent-replayed')).toBe('true');
      expectError(
        await call(server, 'POST', path, {
          token: boss.token,
          headers: grantKey,
          body: { amount: 6, reason: 'x' },
        }),
        409,
        'IDEMPOTENCY_KEY_REUSED',
      );
      expectError(
        await call(server, 'POST', api(`/admin/players/${pilot.player.id}/credits`), {
          token: boss.token,
          headers: grantKey,
          body: { amount: 5, reason: 'x' },
        }),
        409,
        'IDEMPOTENCY_KEY_REUSED',
      );
      expect((await books(server, buyer.player.id)).balance).toBe(before.balance + 5);
    });

    it('a request refused by validation does not use up its key; keys belong to one player', async () => {
      const key = { 'idempotency-key': 'first-try-invalid' };
      expectInvalid(
        await call(server, 'POST', api('/shop/items/9/buy'), {
          token: buyer.token,
          headers: key,
          body: { expectedPrice: 'x' },
        }),
        'body/expectedPrice',
      );
      const valid = await call(server, 'POST', api('/shop/items/9/buy'), {
        token: buyer.token,
        headers: key,
      });
      expect(valid.status, valid.text).toBe(200);
      expect(valid.headers.get('idempotent-replayed')).toBeNull();

      const other = await register(server);
      await fund(server, other.player.id, 1_000_000);
      const theirs = await call(server, 'POST', api('/shop/items/9/buy'), {
        token: other.token,
        headers: key,
      });
      expect(theirs.status, theirs.text).toBe(200);
      expect(theirs.headers.get('idempotent-replayed')).toBeNull();
      expect(JSON.parse(theirs.text).transactionId).not.toBe(JSON.parse(valid.text).transactionId);
    });
  });

  it('after all of it, the pilot\u2019s books are untouched and balanced', async () => {
    const now = await books(server, pilot.player.id);
    expect(now).toEqual(pilotBooks);
    expect(now.balance).toBe(now.ledgerSum);
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
