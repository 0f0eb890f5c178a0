/**
 * Hostile input, query strings and path ids: bad limits, unknown parameters, forged and overflowing
 * cursors, empty and overlong searches, malformed item and player ids. See hostile.ts for what every
 * refusal must be.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, call, type TestPlayer } from '../helpers/http';
import { backends, type TestServer } from '../helpers/server';
import {
  type Actor,
  expectBooksUntouched,
  expectError,
  expectInvalid,
  type HostileServer,
  NO_PLAYER,
  openHostileServer,
} from './hostile';

const b64 = (text: string) => Buffer.from(text).toString('base64url');

const cursorOf = (key: unknown) => Buffer.from(JSON.stringify(key)).toString('base64url');

describe.each(backends)('hostile input: queries and path ids on %s', (backend) => {
  let hostile: HostileServer;
  let server: TestServer;
  let pilot: TestPlayer;
  let boss: TestPlayer;
  const tokenOf = (actor: Actor) => hostile.tokenOf(actor);

  beforeAll(async () => {
    hostile = await openHostileServer(backend);
    ({ server, pilot, boss } = hostile);
  });
  afterAll(async () => {
    await hostile?.server.close();
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

  describe('cursors', () => {
    it('an item id past 2^31-1 in a cursor is a 400, like every bad cursor', async () => {
      expect(cursorOf([2147483648])).toBe('WzIxNDc0ODM2NDhd');
      for (const cursor of [cursorOf([2147483648]), cursorOf([Number.MAX_SAFE_INTEGER])]) {
        expectError(await call(server, 'GET', api(`/shop/items?cursor=${cursor}`)), 400, 'VALIDATION_ERROR');
        expectError(
          await call(server, 'GET', api(`/me/items?cursor=${cursor}`), { token: pilot.token }),
          400,
          'VALIDATION_ERROR',
        );
      }
      // The largest id an item can have is still a cursor.
      const last = await call(server, 'GET', api(`/shop/items?cursor=${cursorOf([2147483647])}`));
      expect(last.status, last.text).toBe(200);
      expect(last.body.items).toEqual([]);
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

  it('after all of it, the pilot\u2019s books are untouched and balanced', async () => {
    await expectBooksUntouched(hostile);
  });
});
