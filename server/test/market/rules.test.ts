/**
 * The market between players over real HTTP and WebSockets (API.md "Market between players"): listing puts
 * the item in escrow (shown in the inventory as listed, not sellable to the shop, not listable twice, not
 * counting for power); buying moves price − fee to the seller and the fee out of the economy, exactly to
 * the minor unit, with `market.sold` and `balance` events; every refusal; cancel and expiry give the item
 * back; replays are byte-identical; browsing pages by keyset in the asked language; the audit holds.
 */
import type { Listing, OwnedItem, Transaction } from '@metagameplay/protocol';
import { describe, expect, it } from 'vitest';
import { books } from '../helpers/http';
import { backends } from '../helpers/server';
import { WsClient } from '../helpers/ws';
import { marketFixture } from './fixture';

describe.each(backends)('market: rules (%s)', (backend) => {
  const f = marketFixture(backend);
  const item = (n: number) => {
    const found = f.catalog[n];
    if (!found) throw new Error(`no catalog item ${n}`);
    return found;
  };

  it('a listing escrows the item; a buy moves price, fee and item exactly once, with events to both', async () => {
    const helmet = item(2);
    const seller = await f.pilot(0, [helmet.id]);
    const buyer = await f.pilot(10_000);
    const sellerWs = await WsClient.connect(f.node.url, seller.token);
    const buyerWs = await WsClient.connect(f.node.url, buyer.token);
    try {
      const powerBefore = (await f.request('GET', seller, '/me')).body.power as number;
      const listing = await f.list(seller, helmet.id, 1_999);
      expect(listing).toMatchObject({
        itemId: helmet.id,
        itemName: helmet.name,
        price: 1_999,
        sellerId: seller.player.id,
        sellerNickname: seller.nickname,
        status: 'active',
      });
      // Escrow: out of the inventory table, shown as listed, not sellable, not listable twice, no power.
      expect(await f.itemsOf(seller)).toEqual([]);
      const inventory = (await f.request('GET', seller, '/me/items')).body.items as OwnedItem[];
      expect(inventory).toEqual([expect.objectContaining({ id: helmet.id, listingId: listing.id })]);
      expect((await f.request('GET', seller, '/me')).body.power).toBe(powerBefore - helmet.power);
      const sold = await f.request('POST', seller, `/me/items/${helmet.id}/sell`);
      expect([sold.status, sold.body.error?.code]).toEqual([409, 'NOT_OWNED']);
      const twice = await f.request('POST', seller, '/market/listings', { itemId: helmet.id, price: 5 });
      expect([twice.status, twice.body.error?.code, twice.body.error?.details]).toEqual([
        409,
        'NOT_OWNED',
        { listed: true },
      ]);
      const shopAgain = await f.request('POST', seller, `/shop/items/${helmet.id}/buy`);
      expect([shopAgain.status, shopAgain.body.error?.code]).toEqual([409, 'ALREADY_OWNED']);
      const own = await f.request('POST', seller, `/market/listings/${listing.id}/buy`);
      expect([own.status, own.body.error?.code]).toEqual([409, 'OWN_LISTING']);
      const changed = await f.request('POST', buyer, `/market/listings/${listing.id}/buy`, {
        expectedPrice: 1_000,
      });
      expect([changed.status, changed.body.error?.code, changed.body.error?.details]).toEqual([
        409,
        'PRICE_CHANGED',
        { price: 1_999 },
      ]);

      // The buy, with a key; its replay (on the other node) is the same bytes.
      const key = { 'idempotency-key': `buy-${listing.id}` };
      const bought = await f.request(
        'POST',
        buyer,
        `/market/listings/${listing.id}/buy`,
        { expectedPrice: 1_999 },
        key,
      );
      expect(bought.status, bought.text).toBe(200);
      // 5 % of 1,999 is 99.95: the fee is 99 (rounded down), the seller gets 1,900, nothing else moves.
      expect(bought.body).toMatchObject({
        balance: 10_000 - 1_999,
        item: { id: helmet.id, name: helmet.name, power: helmet.power },
        listing: { id: listing.id, status: 'sold' },
      });
      const replay = await f.request(
        'POST',
        buyer,
        `/market/listings/${listing.id}/buy`,
        { expectedPrice: 1_999 },
        key,
        f.other,
      );
      expect(replay.text).toBe(bought.text);
      expect(replay.headers.get('idempotent-replayed')).toBe('true');
      expect(await f.balanceOf(buyer)).toBe(10_000 - 1_999);
      expect(await f.balanceOf(seller)).toBe(1_900);
      expect(await f.itemsOf(buyer)).toEqual([helmet.id]);
      expect(await f.itemsOf(seller)).toEqual([]);
      const fee = await f.sql<{ fee: string }>('SELECT fee FROM market_listings WHERE id = $1', [listing.id]);
      expect(Number(fee[0]?.fee)).toBe(99);

      // The ledger carries the listing on every row: buyer −price, seller +price and −fee.
      const sellerTx = (await f.request('GET', seller, '/me/transactions')).body
        .transactions as Transaction[];
      expect(sellerTx.slice(0, 2).map((t) => [t.type, t.amount, t.listingId])).toEqual([
        ['market_fee', -99, listing.id],
        ['market_sale', 1_999, listing.id],
      ]);
      const buyerTx = (await f.request('GET', buyer, '/me/transactions')).body.transactions as Transaction[];
      expect([buyerTx[0]?.type, buyerTx[0]?.amount, buyerTx[0]?.listingId]).toEqual([
        'market_purchase',
        -1_999,
        listing.id,
      ]);

      // Events: market.sold to the seller, the balance to both.
      const soldEvent = await sellerWs.next('market.sold');
      expect(soldEvent.listing).toMatchObject({ id: listing.id, status: 'sold' });
      await sellerWs.next('balance', (m) => m.balance === 1_900);
      await buyerWs.next('balance', (m) => m.balance === 10_000 - 1_999);

      // Sold: nobody buys it again, the seller cannot cancel it.
      const third = await f.pilot(10_000);
      const again = await f.request('POST', third, `/market/listings/${listing.id}/buy`);
      expect([again.status, again.body.error?.code, again.body.error?.details]).toEqual([
        409,
        'LISTING_NOT_ACTIVE',
        { status: 'sold' },
      ]);
      const cancel = await f.request('DELETE', seller, `/market/listings/${listing.id}`);
      expect([cancel.status, cancel.body.error?.code]).toEqual([409, 'LISTING_NOT_ACTIVE']);
      await f.expectBooksBalanced();
    } finally {
      await sellerWs.close();
      await buyerWs.close();
    }
  });

  it('a pilot with the credits cannot buy from the shop an item it has on the market', async () => {
    const helmet = item(2);
    const seller = await f.pilot(1_000_000, [helmet.id]);
    await f.list(seller, helmet.id, 500);
    const before = await books(f.node, seller.player.id);
    const again = await f.request('POST', seller, `/shop/items/${helmet.id}/buy`);
    expect([again.status, again.body.error?.code]).toEqual([409, 'ALREADY_OWNED']);
    const after = await books(f.node, seller.player.id);
    expect([after.balance, after.ledgerRows, after.items]).toEqual([before.balance, before.ledgerRows, []]);
    await f.expectBooksBalanced();
  });

  it('refuses what the rules forbid, changing nothing', async () => {
    const [shield, kit] = [item(3), item(9)];
    const seller = await f.pilot(0, [shield.id, kit.id]);
    const poor = await f.pilot(100);
    const owner = await f.pilot(0, [shield.id]);
    const listing = await f.list(seller, shield.id, 5_000);
    const cases: [string, number, string][] = [];
    const buy = async (who: typeof poor, id = listing.id) =>
      f.request('POST', who, `/market/listings/${id}/buy`);
    const funds = await buy(poor);
    cases.push(['poor', funds.status, funds.body.error?.code]);
    expect(funds.body.error?.details).toEqual({ balance: 100, required: 5_000 });
    const owned = await buy(owner);
    cases.push(['owner', owned.status, owned.body.error?.code]);
    const missing = await buy(poor, '00000000-0000-4000-8000-000000000000');
    cases.push(['missing', missing.status, missing.body.error?.code]);
    const notMine = await f.request('DELETE', poor, `/market/listings/${listing.id}`);
    cases.push(['cancel by another', notMine.status, notMine.body.error?.code]);
    const notOwned = await f.request('POST', poor, '/market/listings', { itemId: shield.id, price: 10 });
    cases.push(['not owned', notOwned.status, notOwned.body.error?.code]);
    const noItem = await f.request('POST', poor, '/market/listings', { itemId: 999_999, price: 10 });
    cases.push(['no item', noItem.status, noItem.body.error?.code]);
    for (const price of [0, -1, 100_000_000_001, 1.5]) {
      const bad = await f.request('POST', seller, '/market/listings', { itemId: kit.id, price });
      cases.push([`price ${price}`, bad.status, bad.body.error?.code]);
    }
    expect(cases).toEqual([
      ['poor', 409, 'INSUFFICIENT_FUNDS'],
      ['owner', 409, 'ALREADY_OWNED'],
      ['missing', 404, 'NOT_FOUND'],
      ['cancel by another', 404, 'NOT_FOUND'],
      ['not owned', 409, 'NOT_OWNED'],
      ['no item', 404, 'ITEM_NOT_FOUND'],
      ['price 0', 400, 'VALIDATION_ERROR'],
      ['price -1', 400, 'VALIDATION_ERROR'],
      ['price 100000000001', 400, 'VALIDATION_ERROR'],
      ['price 1.5', 400, 'VALIDATION_ERROR'],
    ]);
    expect(await f.balanceOf(poor)).toBe(100);
    // Too many listings: the limit is the function's argument (20 in the API); 1 here on the kit.
    const rows = await f.sql<{ o_status: number; o_outcome: string }>(
      'SELECT o_status, o_outcome FROM mg_market_list($1, $2, 10, 60, 1, NULL, NULL, NULL)',
      [seller.player.id, kit.id],
    );
    expect(rows[0]?.o_status).toBe(409);
    expect(JSON.parse(rows[0]?.o_outcome ?? '{}')).toEqual({ code: 'TOO_MANY_LISTINGS', max: 1 });
    await f.expectBooksBalanced();
  });

  it('cancel gives the item back; expiry gives it back by the sweep or at a late buy, exactly once', async () => {
    const [suit, tank, gun] = [item(4), item(14), item(6)];
    const seller = await f.pilot(0, [suit.id, tank.id, gun.id]);
    const buyer = await f.pilot(100_000);
    const listing = await f.list(seller, suit.id, 700);
    const key = { 'idempotency-key': `cancel-${listing.id}` };
    const cancelled = await f.request('DELETE', seller, `/market/listings/${listing.id}`, undefined, key);
    expect(cancelled.status, cancelled.text).toBe(200);
    expect(cancelled.body.listing).toMatchObject({ id: listing.id, status: 'cancelled' });
    const replay = await f.request('DELETE', seller, `/market/listings/${listing.id}`, undefined, key);
    expect(replay.text).toBe(cancelled.text);
    expect(await f.itemsOf(seller)).toContain(suit.id);

    const bySweep = await f.list(seller, tank.id, 800);
    const atBuy = await f.list(seller, gun.id, 900);
    await f.sql("UPDATE market_listings SET expires_at = now() - interval '1 second' WHERE id = ANY($1)", [
      [bySweep.id, atBuy.id],
    ]);
    // Not shown once overdue, even before the sweep.
    const page = await f.request('GET', buyer, `/market/listings?itemId=${gun.id}`);
    expect(page.body.listings).toEqual([]);
    const late = await f.request('POST', buyer, `/market/listings/${atBuy.id}/buy`);
    expect([late.status, late.body.error?.code, late.body.error?.details]).toEqual([
      409,
      'LISTING_NOT_ACTIVE',
      { status: 'expired' },
    ]);
    await f.node.ctx.services.market.sweep();
    await f.other.ctx.services.market.sweep();
    const statuses = await f.sql<{ id: string; status: string }>(
      'SELECT id, status FROM market_listings WHERE id = ANY($1) ORDER BY price',
      [[bySweep.id, atBuy.id]],
    );
    expect(statuses.map((s) => s.status)).toEqual(['expired', 'expired']);
    expect(await f.itemsOf(seller)).toEqual([suit.id, tank.id, gun.id].sort((a, b) => a - b));
    expect(await f.balanceOf(buyer)).toBe(100_000);
    const mine = (await f.request('GET', seller, '/market/listings/mine')).body.listings as Listing[];
    expect(mine.map((l) => [l.id, l.status])).toEqual([
      [atBuy.id, 'expired'],
      [bySweep.id, 'expired'],
      [listing.id, 'cancelled'],
    ]);
    await f.expectBooksBalanced();
  });

  it('browses active listings by price or newest, by keyset, by item or name, in the asked language', async () => {
    const module = item(10);
    const sellers = await Promise.all([0, 1, 2, 3, 4].map(() => f.pilot(0, [module.id])));
    const prices = [500, 300, 300, 900, 100];
    const listings: Listing[] = [];
    for (const [i, seller] of sellers.entries())
      listings.push(await f.list(seller, module.id, prices[i] ?? 1));
    const reader = sellers[0];
    if (!reader) throw new Error('no reader');
    const walk = async (query: string) => {
      const seen: Listing[] = [];
      let cursor: string | null = null;
      do {
        const page = await f.request(
          'GET',
          reader,
          `/market/listings?itemId=${module.id}&limit=2&${query}${cursor ? `&cursor=${cursor}` : ''}`,
        );
        expect(page.status, page.text).toBe(200);
        seen.push(...(page.body.listings as Listing[]));
        cursor = page.body.nextCursor as string | null;
      } while (cursor);
      return seen;
    };
    const byPrice = await walk('sort=price');
    expect(byPrice.map((l) => l.price)).toEqual([100, 300, 300, 500, 900]);
    const newest = await walk('sort=newest');
    expect(newest.map((l) => l.id)).toEqual(listings.map((l) => l.id).reverse());
    const ru = await f.request(
      'GET',
      reader,
      `/market/listings?search=${encodeURIComponent('Модуль навиг')}&lang=ru`,
    );
    expect((ru.body.listings as Listing[]).map((l) => l.itemName)).toContain('Модуль навигации');
    expect(new Set((ru.body.listings as Listing[]).map((l) => l.itemId))).toEqual(new Set([module.id]));
    const bad = await f.request('GET', reader, '/market/listings?cursor=WyJ4Il0');
    expect(bad.status).toBe(400);
    // A cursor of the right shape whose instant does not exist is refused too (not a failed cast).
    const month13 = Buffer.from(JSON.stringify(['2026-13-45T00:00:00.000Z', listings[0]?.id])).toString(
      'base64url',
    );
    const impossible = await f.request('GET', reader, `/market/listings?sort=newest&cursor=${month13}`);
    expect([impossible.status, impossible.body.error?.code]).toEqual([400, 'VALIDATION_ERROR']);
    // The shop shows each item's lowest market price.
    const shop = await f.request('GET', reader, '/shop/items?limit=100');
    const row = (shop.body.items as { id: number; lowestMarketPrice: number | null }[]).find(
      (i) => i.id === module.id,
    );
    expect(row?.lowestMarketPrice).toBe(100);
    await f.expectBooksBalanced();
  });
});
