/**
 * Market races forced behind a held listing row, on two nodes over one database: two buys, a buy and the
 * seller's cancel, a buy and the expiry sweep, a buy and the seller's own shop sale of the item, all fired
 * together while a side connection holds the listing row; on release exactly one outcome per listing,
 * the others refused with their documented code, the item in exactly one place, no minor unit created or
 * lost (Σ balances + Σ fees taken is constant), and the audit clean.
 */
import type { Listing } from '@metagameplay/protocol';
import { describe, expect, it } from 'vitest';
import type { Answer, TestPlayer } from '../helpers/http';
import { waitForLockWaiters } from '../helpers/locks';
import { backends } from '../helpers/server';
import { marketFixture } from './fixture';

describe.each(backends)('market: races (%s)', (backend) => {
  const f = marketFixture(backend);

  const money = async () => {
    const [row] = await f.sql<{ money: string }>(
      `SELECT (SELECT SUM(balance) FROM players) + (SELECT COALESCE(SUM(fee), 0) FROM market_listings) AS money`,
      [],
    );
    return Number(row?.money);
  };

  /** Holds the listings' rows on the side connection while `fire` queues requests behind them. */
  async function behindHeldRows(
    ids: string[],
    overdue: boolean,
    waiters: number,
    fire: () => Promise<Answer>[],
    whileHeld: () => Promise<Answer>[] = () => [],
  ): Promise<Answer[]> {
    await f.side.query('BEGIN');
    await f.side.query('SELECT 1 FROM market_listings WHERE id = ANY($1) FOR UPDATE', [ids]);
    if (overdue) {
      await f.side.query(
        "UPDATE market_listings SET expires_at = now() - interval '1 second' WHERE id = ANY($1)",
        [ids],
      );
    }
    const moves = fire();
    await waitForLockWaiters(f.side, waiters);
    // Moves that do not wait for the listing row (the seller's shop sale) answer while it is held.
    const meanwhile = await Promise.all(whileHeld());
    // Both nodes' sweeps run while the rows are held: they skip them (SKIP LOCKED), never wait.
    await Promise.all([f.node.ctx.services.market.sweep(), f.other.ctx.services.market.sweep()]);
    await f.side.query('COMMIT');
    const answers = [...(await Promise.all(moves)), ...meanwhile];
    await Promise.all([f.node.ctx.services.market.sweep(), f.other.ctx.services.market.sweep()]);
    return answers;
  }

  it('buy vs buy, buy vs cancel, buy vs expiry, buy vs the shop sale: one outcome each, on two nodes', async () => {
    const [gun, turret] = [f.catalog[6], f.catalog[11]];
    if (!gun || !turret) throw new Error('catalog');
    const seller = await f.pilot(0, [gun.id, turret.id]);
    const [b1, b2] = [await f.pilot(1_000_000), await f.pilot(1_000_000)];
    const before = await money();
    const buy = (who: TestPlayer, listing: Listing, on = f.node) =>
      f.request('POST', who, `/market/listings/${listing.id}/buy`, {}, undefined, on);

    // Two buys on two nodes: one pays, the other is told the listing is sold.
    let listing = await f.list(seller, gun.id, 10_000);
    let answers = await behindHeldRows([listing.id], false, 2, () => [
      buy(b1, listing),
      buy(b2, listing, f.other),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    expect(answers.find((a) => a.status === 409)?.body.error).toMatchObject({
      code: 'LISTING_NOT_ACTIVE',
      details: { status: 'sold' },
    });
    const winner = answers[0]?.status === 200 ? b1 : b2;
    expect(await f.itemsOf(winner)).toEqual([gun.id]);

    // The winner lists it on; a buy and the seller's cancel race: one of them, never both.
    listing = await f.list(winner, gun.id, 20_000);
    const loser = winner === b1 ? b2 : b1;
    answers = await behindHeldRows([listing.id], false, 2, () => [
      buy(loser, listing),
      f.request('DELETE', winner, `/market/listings/${listing.id}`, undefined, undefined, f.other),
    ]);
    expect(answers.map((a) => a.status)).toContain(200);
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    expect(answers.find((a) => a.status !== 200)?.body.error?.code).toBe('LISTING_NOT_ACTIVE');
    const [held] = await f.sql<{ status: string }>('SELECT status FROM market_listings WHERE id = $1', [
      listing.id,
    ]);
    const gunOwner = held?.status === 'sold' ? loser : winner;
    expect(await f.itemsOf(gunOwner)).toEqual([gun.id]);

    // A buy of a listing that fell due while held, with both nodes' sweeps: expired exactly once.
    listing = await f.list(seller, turret.id, 5_000);
    answers = await behindHeldRows([listing.id], true, 1, () => [buy(b1, listing, f.other)]);
    expect([answers[0]?.status, answers[0]?.body.error?.details]).toEqual([409, { status: 'expired' }]);
    expect(await f.itemsOf(seller)).toEqual([turret.id]);

    // A buy and the seller's own shop sale of the item: the sale finds nothing to sell (it is in escrow).
    listing = await f.list(seller, turret.id, 5_000);
    answers = await behindHeldRows(
      [listing.id],
      false,
      1,
      () => [buy(b2, listing)],
      () => [f.request('POST', seller, `/me/items/${turret.id}/sell`, undefined, undefined, f.other)],
    );
    expect(answers.map((a) => [a.status, a.body.error?.code])).toEqual([
      [200, undefined],
      [409, 'NOT_OWNED'],
    ]);
    expect(await f.itemsOf(b2)).toContain(turret.id);
    expect(await f.itemsOf(seller)).toEqual([]);
    // Credits only moved between pilots or into the fees: nothing created, nothing lost.
    expect(await money()).toBe(before);
    await f.expectBooksBalanced();
  });

  it('a storm: buys on both nodes, cancel, shop sale and expiry fired together per listing, many rounds', async () => {
    const rounds = Number(process.env.MARKET_STORM_ROUNDS ?? 24);
    const items = f.catalog.slice(0, 4);
    const seller = await f.pilot(
      100_000_000,
      items.map((i) => i.id),
    );
    const buyers = [await f.pilot(100_000_000), await f.pilot(100_000_000)] as const;
    const outcomes = new Map<string, number>();
    for (let round = 0; round < rounds; round++) {
      // Whoever holds each item lists it (the seller at first, later the buyers).
      const holders = await Promise.all(
        items.map(async (item) => {
          for (const who of [seller, ...buyers]) if ((await f.itemsOf(who)).includes(item.id)) return who;
          throw new Error(`nobody holds item ${item.id}`);
        }),
      );
      const listings = await Promise.all(
        items.map((item, i) => f.list(holders[i] as TestPlayer, item.id, 1_001 + round)),
      );
      const before = await money();
      const overdue = round % 3 === 2;
      const answers = await behindHeldRows(
        listings.map((l) => l.id),
        overdue,
        listings.length * 3,
        () =>
          listings.flatMap((listing, i) => {
            const holder = holders[i] as TestPlayer;
            const others = [seller, ...buyers].filter((p) => p !== holder);
            return [
              f.request('POST', others[0] as TestPlayer, `/market/listings/${listing.id}/buy`),
              f.request(
                'POST',
                others[1] as TestPlayer,
                `/market/listings/${listing.id}/buy`,
                {},
                undefined,
                f.other,
              ),
              f.request(
                'DELETE',
                holder,
                `/market/listings/${listing.id}`,
                undefined,
                undefined,
                round % 2 ? f.other : f.node,
              ),
            ];
          }),
        () =>
          listings.map((listing, i) =>
            f.request('POST', holders[i] as TestPlayer, `/me/items/${listing.itemId}/sell`),
          ),
      );
      for (const [i, listing] of listings.entries()) {
        const moves = answers.slice(i * 3, i * 3 + 3);
        const sale = answers[listings.length * 3 + i];
        const [row] = await f.sql<{ status: string }>('SELECT status FROM market_listings WHERE id = $1', [
          listing.id,
        ]);
        const status = row?.status ?? '?';
        outcomes.set(status, (outcomes.get(status) ?? 0) + 1);
        if (overdue) expect(status).toBe('expired');
        expect(moves.filter((a) => a.status === 200)).toHaveLength(status === 'expired' ? 0 : 1);
        for (const refused of moves.filter((a) => a.status !== 200)) {
          expect(refused.body.error?.code).toBe('LISTING_NOT_ACTIVE');
        }
        expect([sale?.status, sale?.body.error?.code]).toEqual([409, 'NOT_OWNED']);
        const holdersNow = (
          await Promise.all(
            [seller, ...buyers].map(async (p) => (await f.itemsOf(p)).includes(listing.itemId)),
          )
        ).filter(Boolean);
        expect(holdersNow).toHaveLength(1);
      }
      expect(await money()).toBe(before);
    }
    await f.expectBooksBalanced();
    expect(outcomes.get('expired')).toBeGreaterThan(0);
    expect(outcomes.get('sold')).toBeGreaterThan(0);
    expect(outcomes.get('cancelled')).toBeGreaterThan(0);
  }, 300_000);
});
