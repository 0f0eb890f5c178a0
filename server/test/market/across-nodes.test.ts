/**
 * The market across nodes (one database, one private Redis): a sale made on node 2 reaches the seller's
 * socket on node 1 (`market.sold`, then `balance`) and the buyer's `balance`; the shop's cached catalog
 * page on node 1 shows the lowest market price as soon as a listing is made or sold on node 2.
 */
import type { ShopItem } from '@metagameplay/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, call, fund, register, type TestPlayer } from '../helpers/http';
import { createTestDatabase, sharedBackend, startServer, type TestServer } from '../helpers/server';
import { WsClient } from '../helpers/ws';
import { PrivateRedis, redisServerInstalled } from '../infra/redis-helpers';

describe.skipIf(!redisServerInstalled)('market across nodes (one Postgres, one Redis)', () => {
  let redis: PrivateRedis;
  let database: { url: string; drop(): Promise<void> };
  let n1: TestServer;
  let n2: TestServer;
  const sockets: WsClient[] = [];

  beforeAll(async () => {
    redis = await PrivateRedis.start();
    database = await createTestDatabase();
    const env = { REDIS_URL: redis.url, LOGIN_BONUS_MIN: '0', LOGIN_BONUS_MAX: '0' };
    n1 = await startServer(sharedBackend, env, { databaseUrl: database.url });
    n2 = await startServer(sharedBackend, env, { databaseUrl: database.url });
  });
  afterAll(async () => {
    for (const socket of sockets) socket.socket.terminate();
    await n1?.close();
    await n2?.close();
    await database?.drop();
    await redis?.destroy();
  });

  const lowest = async (node: TestServer, who: TestPlayer, itemId: number) => {
    const page = await call<{ items: ShopItem[] }>(node, 'GET', api('/shop/items?limit=100'), {
      token: who.token,
    });
    expect(page.status).toBe(200);
    return page.body.items.find((i) => i.id === itemId)?.lowestMarketPrice;
  };

  it('a sale on node 2 reaches the seller on node 1; the shop page on node 1 follows the market', async () => {
    const seller = await register(n1);
    const buyer = await register(n1);
    await fund(n1, seller.player.id, 10_000);
    await fund(n1, buyer.player.id, 10_000);
    const bought = await call(n1, 'POST', api('/shop/items/3/buy'), { token: seller.token });
    expect(bought.status, bought.text).toBe(200);
    const sellerWs = await WsClient.connect(n1.url, seller.token);
    const buyerWs = await WsClient.connect(n1.url, buyer.token);
    sockets.push(sellerWs, buyerWs);
    // The page is cached on node 1 (and in Redis) before the listing.
    expect(await lowest(n1, buyer, 3)).toBeNull();
    const listed = await call(n2, 'POST', api('/market/listings'), {
      token: seller.token,
      body: { itemId: 3, price: 2_000 },
    });
    expect(listed.status, listed.text).toBe(201);
    expect(await lowest(n1, buyer, 3)).toBe(2_000);
    const sale = await call(n2, 'POST', api(`/market/listings/${listed.body.listing.id}/buy`), {
      token: buyer.token,
      body: { expectedPrice: 2_000 },
    });
    expect(sale.status, sale.text).toBe(200);
    const sold = await sellerWs.next('market.sold');
    expect(sold.listing).toMatchObject({ id: listed.body.listing.id, status: 'sold', price: 2_000 });
    // 10,000 − the helmet (5,099) + 2,000 − 100 (5 % fee).
    await sellerWs.next('balance', (m) => m.balance === 10_000 - 5_099 + 1_900);
    await buyerWs.next('balance', (m) => m.balance === 8_000);
    expect(await lowest(n1, buyer, 3)).toBeNull();
  });
});
