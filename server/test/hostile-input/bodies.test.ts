/**
 * Hostile input, JSON bodies: wrong types, missing and unknown fields, out-of-range values on every route
 * that takes a body (and a body on routes that take none) are each a 400 naming the field, and none of them
 * does anything. See hostile.ts for what every refusal must be.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, books, call, register, type TestPlayer } from '../helpers/http';
import { backends, type TestServer } from '../helpers/server';
import {
  type Actor,
  expectBooksUntouched,
  expectError,
  expectInvalid,
  HELMET,
  HELMET_PRICE,
  type HostileServer,
  openHostileServer,
} from './hostile';

interface BodyCase {
  label: string;
  method: string;
  path: string;
  as: Actor;
  body: unknown;
  field: string;
}

describe.each(backends)('hostile input: bodies on %s', (backend) => {
  let hostile: HostileServer;
  let server: TestServer;
  let pilot: TestPlayer;
  let pilotBooks: HostileServer['pilotBooks'];
  const tokenOf = (actor: Actor) => hostile.tokenOf(actor);
  const fill = (path: string) => hostile.fill(path);

  beforeAll(async () => {
    hostile = await openHostileServer(backend);
    ({ server, pilot, pilotBooks } = hostile);
  });
  afterAll(async () => {
    await hostile?.server.close();
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
    credit('reason over 500 characters', { ...grant, reason: 'r'.repeat(501) }, 'body/reason');
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

  it('after all of it, the pilot\u2019s books are untouched and balanced', async () => {
    await expectBooksUntouched(hostile);
  });
});
