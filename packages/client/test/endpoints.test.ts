/** Each method sends what API.md says: method, path, query, body, headers; and keeps the token. */
import { describe, expect, it } from 'vitest';
import { ApiClient } from '../src/index';
import {
  apiError,
  buyResponse,
  empty,
  json,
  privatePlayer,
  rejection,
  scriptedFetch,
  session,
  testClient,
} from './fake-server';

const playerId = '6f1c2d1e-8d0b-4f3a-9d55-0e2b9a3c7f10';
const page = (list: string) => ({ [list]: [], nextCursor: null });
const shopItem = { id: 7, name: 'Ion Cannon', price: 5099, power: 12 };

describe('token handling', () => {
  it('login stores the token and later calls send it', async () => {
    const { client, requests } = testClient([json(200, session), json(200, privatePlayer)]);
    expect(client.token).toBeNull();
    await expect(client.login('vega', 'password123')).resolves.toEqual(session);
    expect(client.token).toBe('tok-1');
    await client.me();
    expect(requests[0]!.headers.authorization).toBeUndefined();
    expect(requests[1]!.headers.authorization).toBe('Bearer tok-1');
  });

  it('register stores the token too; a failed login keeps the old one', async () => {
    const { client } = testClient([
      json(201, { ...session, token: 'tok-2' }),
      apiError(401, 'INVALID_CREDENTIALS'),
    ]);
    await client.register('vega', 'password123');
    expect(client.token).toBe('tok-2');
    await expect(rejection(client.login('vega', 'wrong-password'))).resolves.toMatchObject({
      code: 'INVALID_CREDENTIALS',
    });
    expect(client.token).toBe('tok-2');
  });

  it("sends the player's language as Accept-Language when given one, and none otherwise", async () => {
    const russian = testClient([json(200, page('items'))], { language: 'ru' });
    await russian.client.shopItems();
    expect(russian.requests[0]!.headers['accept-language']).toBe('ru');
    const plain = testClient([json(200, page('items'))]);
    await plain.client.shopItems();
    expect(plain.requests[0]!.headers['accept-language']).toBeUndefined();
  });

  it('accepts a token in the options and one set later', async () => {
    const { client, requests } = testClient([json(200, { balance: 1 }), json(200, { balance: 1 })], {
      token: 'given',
    });
    await client.balance();
    client.token = 'changed';
    await client.balance();
    expect(requests.map((r) => r.headers.authorization)).toEqual(['Bearer given', 'Bearer changed']);
  });

  it('logout sends the token without a body and clears it', async () => {
    const { client, requests } = testClient([empty(204)], { token: 'tok-1' });
    await expect(client.logout()).resolves.toBeUndefined();
    expect(client.token).toBeNull();
    expect(requests[0]).toMatchObject({
      method: 'POST',
      url: 'http://game.test/api/v1/auth/logout',
      body: undefined,
    });
    expect(requests[0]!.headers.authorization).toBe('Bearer tok-1');
    expect(requests[0]!.headers['content-type']).toBeUndefined();
  });

  it('logout clears the token even when the server says 401, and does not throw', async () => {
    const { client } = testClient([apiError(401, 'UNAUTHENTICATED')], { token: 'expired' });
    await expect(client.logout()).resolves.toBeUndefined();
    expect(client.token).toBeNull();
  });

  it('logout clears the token on other failures but reports them', async () => {
    const { client } = testClient([apiError(500, 'INTERNAL_ERROR')], { token: 'tok-1' });
    await expect(rejection(client.logout())).resolves.toMatchObject({ status: 500 });
    expect(client.token).toBeNull();
  });

  it('logout without a token asks nothing', async () => {
    const { client, requests } = testClient([]);
    await client.logout();
    expect(requests).toHaveLength(0);
  });
});

describe('requests', () => {
  it('register and login post JSON credentials', async () => {
    const { client, requests } = testClient([json(201, session), json(200, session)]);
    await client.register('Véga_1', 'password123');
    await client.login('Véga_1', 'password123');
    expect(requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'POST http://game.test/api/v1/auth/register',
      'POST http://game.test/api/v1/auth/login',
    ]);
    expect(JSON.parse(requests[0]!.body!)).toEqual({ nickname: 'Véga_1', password: 'password123' });
    expect(requests[0]!.headers['content-type']).toBe('application/json');
    expect(requests[0]!.headers['idempotency-key']).toBeUndefined();
  });

  it('player reads go to their paths', async () => {
    const { client, requests } = testClient([
      json(200, privatePlayer),
      json(200, { balance: 1 }),
      json(200, page('items')),
      json(200, page('transactions')),
      json(200, { id: playerId, nickname: 'vega', power: 0, rating: 1000, online: false }),
      json(200, shopItem),
    ]);
    await client.me();
    await client.balance();
    await client.myItems();
    await client.transactions();
    await client.player(playerId);
    await client.shopItem(7);
    expect(requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'GET http://game.test/api/v1/me',
      'GET http://game.test/api/v1/me/balance',
      'GET http://game.test/api/v1/me/items',
      'GET http://game.test/api/v1/me/transactions',
      `GET http://game.test/api/v1/players/${playerId}`,
      'GET http://game.test/api/v1/shop/items/7',
    ]);
    expect(requests.every((r) => r.body === undefined && r.headers['content-type'] === undefined)).toBe(true);
  });

  it('builds query strings from limit, cursor and search, encoded, skipping what is unset', async () => {
    const { client, requests } = testClient([
      json(200, page('items')),
      json(200, page('transactions')),
      json(200, page('items')),
    ]);
    await client.shopItems({ limit: 50, cursor: 'a/b+c=', search: 'ion cannon & co' });
    await client.transactions({ cursor: 'next 1' });
    await client.myItems({ limit: 5 });
    const [shop, tx, mine] = requests.map((r) => new URL(r.url));
    expect(shop!.pathname).toBe('/api/v1/shop/items');
    expect(Object.fromEntries(shop!.searchParams)).toEqual({
      limit: '50',
      cursor: 'a/b+c=',
      search: 'ion cannon & co',
    });
    expect(requests[0]!.url).not.toContain(' ');
    expect(requests[0]!.url).toContain('cursor=a%2Fb%2Bc%3D');
    expect(tx!.search).toBe('?cursor=next+1');
    expect(mine!.search).toBe('?limit=5');
  });

  it('encodes path segments, so an id cannot reach another route', async () => {
    const { client, requests } = testClient([apiError(404, 'PLAYER_NOT_FOUND')]);
    await rejection(client.player('../admin/items'));
    expect(requests[0]!.url).toBe('http://game.test/api/v1/players/..%2Fadmin%2Fitems');
  });

  it('buy posts no body and no JSON content type without expectedPrice', async () => {
    const { client, requests } = testClient([json(200, buyResponse), json(200, buyResponse)]);
    await expect(client.buy(7)).resolves.toEqual(buyResponse);
    await client.buy(7, { expectedPrice: 5099 });
    expect(requests[0]).toMatchObject({
      method: 'POST',
      url: 'http://game.test/api/v1/shop/items/7/buy',
      body: undefined,
    });
    expect(requests[0]!.headers['content-type']).toBeUndefined();
    expect(JSON.parse(requests[1]!.body!)).toEqual({ expectedPrice: 5099 });
    expect(requests[1]!.headers['content-type']).toBe('application/json');
  });

  it('sell posts to the owned item with no body', async () => {
    const { client, requests } = testClient([
      json(200, { balance: 1, amount: 5099, item: shopItem, transactionId: '3' }),
    ]);
    await client.sell(7);
    expect(requests[0]).toMatchObject({
      method: 'POST',
      url: 'http://game.test/api/v1/me/items/7/sell',
      body: undefined,
    });
    expect(requests[0]!.headers['content-type']).toBeUndefined();
  });

  it('admin endpoints', async () => {
    const { client, requests } = testClient(
      [
        json(201, { item: shopItem }),
        json(200, { item: { ...shopItem, price: 10 } }),
        empty(204),
        json(200, { balance: 10_000, transactionId: '5' }),
      ],
      { token: 'admin' },
    );
    await expect(client.admin.createItem({ name: 'Ion Cannon', price: 5099, power: 12 })).resolves.toEqual({
      item: shopItem,
    });
    await client.admin.updateItem(7, { price: 10 });
    await expect(client.admin.deleteItem(7)).resolves.toBeUndefined();
    await expect(client.admin.grantCredits(playerId, { amount: 10_000, reason: 'gift' })).resolves.toEqual({
      balance: 10_000,
      transactionId: '5',
    });
    expect(requests.map((r) => `${r.method} ${r.url} ${r.body ?? '-'}`)).toEqual([
      'POST http://game.test/api/v1/admin/items {"name":"Ion Cannon","price":5099,"power":12}',
      'PATCH http://game.test/api/v1/admin/items/7 {"price":10}',
      'DELETE http://game.test/api/v1/admin/items/7 -',
      `POST http://game.test/api/v1/admin/players/${playerId}/credits {"amount":10000,"reason":"gift"}`,
    ]);
    expect(requests.every((r) => r.headers.authorization === 'Bearer admin')).toBe(true);
  });

  it('accepts a base URL with a trailing slash or a path prefix', async () => {
    const { fetch, requests } = scriptedFetch([json(200, { balance: 1 }), json(200, { balance: 1 })]);
    await new ApiClient({ baseUrl: 'http://game.test/', fetch }).balance();
    await new ApiClient({ baseUrl: 'https://example.org/galaxy', fetch }).balance();
    expect(requests.map((r) => r.url)).toEqual([
      'http://game.test/api/v1/me/balance',
      'https://example.org/galaxy/api/v1/me/balance',
    ]);
  });
});

describe('the shop catalog is revalidated with its ETag', () => {
  it('sends If-None-Match and reuses the cached page on 304', async () => {
    const shopPage = { items: [shopItem], nextCursor: null };
    const { client, requests } = testClient([
      json(200, shopPage, { etag: '"v1"' }),
      new Response(null, { status: 304, headers: { etag: '"v1"' } }),
      json(200, { items: [], nextCursor: null }),
    ]);
    await expect(client.shopItems()).resolves.toEqual(shopPage);
    await expect(client.shopItems()).resolves.toEqual(shopPage);
    await client.shopItems({ search: 'x' });
    expect(requests.map((r) => r.headers['if-none-match'])).toEqual([undefined, '"v1"', undefined]);
  });
});

describe('operations', () => {
  it('health is true on 200 and false when the server fails or is gone, without retrying', async () => {
    const { client, requests, sleeps } = testClient([
      new Response('ok', { status: 200 }),
      apiError(503, 'SERVICE_UNAVAILABLE'),
      new TypeError('fetch failed'),
    ]);
    await expect(client.health()).resolves.toBe(true);
    await expect(client.health()).resolves.toBe(false);
    await expect(client.health()).resolves.toBe(false);
    expect(requests.map((r) => r.url)).toEqual(Array(3).fill('http://game.test/healthz'));
    expect(sleeps).toEqual([]);
  });

  it('ready returns the report, also the 503 one when the database is down', async () => {
    const { client, requests } = testClient([
      json(200, { database: 'ok', redis: 'off' }),
      json(503, { database: 'down', redis: 'ok' }),
      apiError(503, 'SERVICE_UNAVAILABLE', 'database down'),
    ]);
    await expect(client.ready()).resolves.toEqual({ database: 'ok', redis: 'off' });
    await expect(client.ready()).resolves.toEqual({ database: 'down', redis: 'ok' });
    await expect(rejection(client.ready())).resolves.toMatchObject({
      status: 503,
      code: 'SERVICE_UNAVAILABLE',
    });
    expect(requests.map((r) => r.url)).toEqual(Array(3).fill('http://game.test/readyz'));
  });
});
