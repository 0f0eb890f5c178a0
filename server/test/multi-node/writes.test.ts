/**
 * Two server nodes on different ports, sharing one Postgres and one Redis (multi-node/fixture.ts), behave as
 * one server: a purchase, a sale and a catalog edit made on one node are seen on the other at once (the catalog with a new ETag). Postgres only.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { redisServerInstalled } from '../infra/redis-helpers';
import { api, call } from '../helpers/http';
import type { TestServer } from '../helpers/server';
import { shopPage, catalogOf, type Item, twoNodes } from './fixture';

describe.skipIf(!redisServerInstalled)('two nodes: writes', () => {
  const nodes = twoNodes();
  const { nameOf, newPilot, newAdmin, expectBooks } = nodes;
  let a: TestServer;
  let b: TestServer;
  beforeAll(() => {
    ({ a, b } = nodes.current());
  });

  it('shows a purchase and a sale made on one node on the other at once', async () => {
    for (const [writer, reader] of [
      [a, b],
      [b, a],
    ] as const) {
      const pilot = await newPilot(1_000_000);
      const token = pilot.session.token;
      // The reader has the session and the catalog page cached before the write.
      const before = await call(reader, 'GET', api('/me'), { token });
      expect(before.status).toBe(200);
      expect(before.body.balance).toBe(pilot.balance);
      const item = (await catalogOf(reader))[3];
      if (!item) throw new Error('catalog too small');

      const bought = await call(writer, 'POST', api(`/shop/items/${item.id}/buy`), { token });
      expect(bought.status, bought.text).toBe(200);
      expect(bought.body.balance).toBe(pilot.balance - item.price);
      expect((await call(reader, 'GET', api('/me/balance'), { token })).body.balance).toBe(
        bought.body.balance,
      );
      const me = await call(reader, 'GET', api('/me'), { token });
      expect(me.body).toMatchObject({
        balance: bought.body.balance,
        itemCount: before.body.itemCount + 1,
        power: before.body.power + item.power,
      });
      const owned = await call(reader, 'GET', api('/me/items'), { token });
      expect(owned.body.items.map((i: Item) => i.id)).toEqual([item.id]);
      const ledger = await call(reader, 'GET', api('/me/transactions?limit=1'), { token });
      expect(ledger.body.transactions[0]).toMatchObject({
        id: bought.body.transactionId,
        type: 'purchase',
        amount: -item.price,
        balanceAfter: bought.body.balance,
        itemId: item.id,
      });
      // The reader refuses a second purchase of what the writer sold it.
      const again = await call(reader, 'POST', api(`/shop/items/${item.id}/buy`), { token });
      expect(again.body.error?.code).toBe('ALREADY_OWNED');

      const sold = await call(writer, 'POST', api(`/me/items/${item.id}/sell`), { token });
      expect(sold.status, sold.text).toBe(200);
      expect(sold.body.balance).toBe(pilot.balance);
      expect((await call(reader, 'GET', api('/me/balance'), { token })).body.balance).toBe(pilot.balance);
      expect((await call(reader, 'GET', api('/me'), { token })).body).toMatchObject({
        balance: pilot.balance,
        itemCount: before.body.itemCount,
      });
      expect((await call(reader, 'GET', api('/me/items'), { token })).body.items).toEqual([]);
      const afterSale = await call(reader, 'GET', api('/me/transactions?limit=1'), { token });
      expect(afterSale.body.transactions[0]).toMatchObject({
        id: sold.body.transactionId,
        type: 'sale',
        amount: item.price,
        balanceAfter: pilot.balance,
      });
      const resold = await call(reader, 'POST', api(`/me/items/${item.id}/sell`), { token });
      expect(resold.body.error?.code).toBe('NOT_OWNED');
      await expectBooks(pilot);
    }
  });

  it('shows catalog edits made on one node on the other at once, with a new ETag', async () => {
    const boss = await newAdmin();
    for (const [writer, reader] of [
      [a, b],
      [b, a],
    ] as const) {
      // Warm the reader's cached page (the second read is a hit) and check its ETag works.
      const first = await shopPage(reader);
      const cached = await shopPage(reader);
      const etag = cached.headers.get('etag') ?? '';
      expect(etag).toBe(first.headers.get('etag'));
      expect((await shopPage(reader, { 'if-none-match': etag })).status).toBe(304);
      const target = cached.body.items[1];
      if (!target) throw new Error('catalog too small');

      const price = target.price + 1 + Math.floor(Math.random() * 1_000);
      const patched = await call(writer, 'PATCH', api(`/admin/items/${target.id}`), {
        token: boss.token,
        body: { price },
      });
      expect(patched.status, patched.text).toBe(200);
      const fresh = await shopPage(reader, { 'if-none-match': etag });
      expect(fresh.status).toBe(200);
      expect(fresh.headers.get('etag')).not.toBe(etag);
      expect(fresh.body.items.find((i) => i.id === target.id)?.price).toBe(price);
      expect((await call(reader, 'GET', api(`/shop/items/${target.id}`))).body.price).toBe(price);

      const name = `Multi-node probe ${nameOf(writer)} ${Math.random().toString(36).slice(2, 8)}`;
      const created = await call(writer, 'POST', api('/admin/items'), {
        token: boss.token,
        body: { name, price: 12_345, power: 7 },
      });
      expect(created.status, created.text).toBe(201);
      const id: number = created.body.item.id;
      expect((await catalogOf(reader)).find((i) => i.id === id)).toEqual({
        id,
        name,
        price: 12_345,
        power: 7,
        lowestMarketPrice: null,
      });
      expect((await call(writer, 'DELETE', api(`/admin/items/${id}`), { token: boss.token })).status).toBe(
        204,
      );
      expect((await catalogOf(reader)).some((i) => i.id === id)).toBe(false);
      expect((await call(reader, 'GET', api(`/shop/items/${id}`))).status).toBe(404);
    }
  });
});
