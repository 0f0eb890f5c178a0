/**
 * The wallet on real Postgres: one player's mixed buys and sells in flight together never deadlock (zero
 * 5xx, money conserved), racing buys queued behind a held player row resolve to one purchase, the
 * configured sell percentage and login-bonus cooldown change what players get, and money stays within
 * MAX_MONEY everywhere.
 */
import { MAX_MONEY } from '@metagameplay/protocol';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Answer, api, books, call, fund, makeAdmin, register, uniqueNickname } from './helpers/http';
import { sideConnection, waitForLockWaiters } from './helpers/locks';
import { sharedBackend, startServer, type TestServer } from './helpers/server';

/** Holds the player's row as FOR UPDATE in an open transaction until release() is called. */
async function holdPlayerRow(side: pg.Client, playerId: string): Promise<{ release(): Promise<void> }> {
  await side.query('BEGIN');
  await side.query('SELECT 1 FROM players WHERE id = $1 FOR UPDATE', [playerId]);
  return {
    release: async () => {
      await side.query('COMMIT');
    },
  };
}

describe('wallet: moves queued behind a held row', () => {
  let server: TestServer;
  /** SELL_PRICE_PERCENT 50, a one-hour login-bonus cooldown, one money move in flight per player. */
  let configured: TestServer;
  let side: pg.Client;
  beforeAll(async () => {
    server = await startServer(sharedBackend);
    configured = await startServer(sharedBackend, {
      SELL_PRICE_PERCENT: '50',
      LOGIN_BONUS_COOLDOWN_SECONDS: '3600',
      MONEY_MOVES_IN_FLIGHT_MAX: '1',
    });
    side = await sideConnection(server);
  });
  afterAll(async () => {
    await side?.end();
    await configured?.close();
    await server?.close();
  });

  it('two buys of one item queued behind a held player row: one purchase, one ALREADY_OWNED', async () => {
    const pilot = await register(server);
    await fund(server, pilot.player.id, 1_000_000);
    const hold = await holdPlayerRow(side, pilot.player.id);
    const buys = [1, 2].map(() => call(server, 'POST', api('/shop/items/1/buy'), { token: pilot.token }));
    await waitForLockWaiters(side, 2);
    await hold.release();
    const answers = await Promise.all(buys);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    expect(answers.find((a) => a.status === 409)?.body.error.code).toBe('ALREADY_OWNED');
    const b = await books(server, pilot.player.id);
    expect(b.items).toEqual([1]);
    expect(b.balance).toBe(pilot.loginBonus + 1_000_000 - 150075);
    expect(b.balance).toBe(b.ledgerSum);
  });

  it('two buys with one Idempotency-Key queued behind a held player row: one charge, one replay', async () => {
    const pilot = await register(server);
    await fund(server, pilot.player.id, 1_000_000);
    const hold = await holdPlayerRow(side, pilot.player.id);
    const headers = { 'idempotency-key': 'queued-twice' };
    const first = call(server, 'POST', api('/shop/items/2/buy'), { token: pilot.token, headers });
    await waitForLockWaiters(side, 1);
    const second = call(server, 'POST', api('/shop/items/2/buy'), { token: pilot.token, headers });
    await waitForLockWaiters(side, 2);
    await hold.release();
    const answers = await Promise.all([first, second]);
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    expect(answers[1]!.text).toBe(answers[0]!.text);
    expect(answers.map((a) => a.headers.get('idempotent-replayed'))).toEqual([null, 'true']);
    const b = await books(server, pilot.player.id);
    expect(b.ledgerRows).toBe(3);
    expect(b.balance).toBe(b.ledgerSum);
  });

  it('two sales of one item queued behind a held player row: one sale, one NOT_OWNED, paid once', async () => {
    const pilot = await register(server);
    await fund(server, pilot.player.id, 1_000_000);
    expect((await call(server, 'POST', api('/shop/items/3/buy'), { token: pilot.token })).status).toBe(200);
    const before = await books(server, pilot.player.id);
    const hold = await holdPlayerRow(side, pilot.player.id);
    const sales = [1, 2].map(() => call(server, 'POST', api('/me/items/3/sell'), { token: pilot.token }));
    await waitForLockWaiters(side, 2);
    await hold.release();
    const answers = await Promise.all(sales);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    expect(answers.find((a) => a.status === 409)?.body.error.code).toBe('NOT_OWNED');
    const paid = answers.find((a) => a.status === 200)?.body.amount as number;
    const b = await books(server, pilot.player.id);
    expect(b.items).toEqual([]);
    expect(b.balance).toBe(before.balance + paid);
    expect(b.ledgerRows).toBe(before.ledgerRows + 1);
    expect(b.balance).toBe(b.ledgerSum);
  });

  it('keyed answers replay byte for byte: a purchase, a sale, and each rule refusal', async () => {
    const pilot = await register(server);
    const poor = await register(server);
    await fund(server, pilot.player.id, 1_000_000);
    const twice = async (path: string, key: string, token: string, body?: unknown) => {
      const headers = { 'idempotency-key': key };
      const first = await call(server, 'POST', api(path), { token, headers, body });
      const again = await call(server, 'POST', api(path), { token, headers, body });
      expect(again.status).toBe(first.status);
      expect(again.text).toBe(first.text);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      return first;
    };
    const bought = await twice('/shop/items/4/buy', 'r-buy', pilot.token);
    expect(bought.status).toBe(200);
    expect(Object.keys(bought.body)).toEqual(['balance', 'item', 'transactionId']);
    expect(Object.keys(bought.body.item)).toEqual([
      'id',
      'name',
      'price',
      'power',
      'sellPrice',
      'acquiredAt',
    ]);
    expect(bought.body.item.acquiredAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const owned = await twice('/shop/items/4/buy', 'r-owned', pilot.token);
    expect(owned.body.error.code).toBe('ALREADY_OWNED');
    const moved = await twice('/shop/items/5/buy', 'r-price', pilot.token, { expectedPrice: 1 });
    expect(moved.body.error.code).toBe('PRICE_CHANGED');
    const broke = await twice('/shop/items/6/buy', 'r-funds', poor.token);
    expect(broke.body.error.code).toBe('INSUFFICIENT_FUNDS');
    const missing = await twice('/shop/items/999999/buy', 'r-missing', pilot.token);
    expect(missing.status).toBe(404);
    const sold = await twice('/me/items/4/sell', 'r-sell', pilot.token);
    expect(sold.status).toBe(200);
    expect(Object.keys(sold.body)).toEqual(['balance', 'amount', 'item', 'transactionId']);
    const gone = await twice('/me/items/4/sell', 'r-gone', pilot.token);
    expect(gone.body.error.code).toBe('NOT_OWNED');
    const b = await books(server, pilot.player.id);
    expect(b.balance).toBe(b.ledgerSum);
  });

  it('answers carry the names the node keeps, renamed when the catalog changes (catalog.changed)', async () => {
    const boss = await register(server);
    await makeAdmin(server, boss.player.id);
    await fund(server, boss.player.id, 1_000_000);
    const first = uniqueNickname('Corvette');
    const created = await call(server, 'POST', api('/admin/items'), {
      token: boss.token,
      body: { name: first, price: 10, power: 1 },
    });
    const id: number = created.body.item.id;
    const bought = await call(server, 'POST', api(`/shop/items/${id}/buy`), { token: boss.token });
    expect(bought.body.item.name).toBe(first);
    const renamed = uniqueNickname('Frigate');
    await call(server, 'PATCH', api(`/admin/items/${id}`), { token: boss.token, body: { name: renamed } });
    // The rename reaches every node's names through the catalog.changed event (here: this node's own).
    let sold: Answer | undefined;
    for (let i = 0; i < 50; i += 1) {
      sold = await call(server, 'POST', api(`/me/items/${id}/sell`), { token: boss.token });
      if (sold.body.item.name === renamed) break;
      await call(server, 'POST', api(`/shop/items/${id}/buy`), { token: boss.token });
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(sold?.body.item.name).toBe(renamed);
  });

  it('a key stored by the previous release (a whole body) replays as it was stored', async () => {
    const pilot = await register(server);
    const stored =
      '{"balance":1,"item":{"id":7,"name":"Old","price":2,"power":3,"sellPrice":2,"acquiredAt":"2026-01-01T00:00:00.000Z"},"transactionId":"42"}';
    const first = await call(server, 'POST', api('/shop/items/7/buy'), {
      token: pilot.token,
      headers: { 'idempotency-key': 'legacy-key' },
    });
    // Rewrite the stored answer as the previous release stored it (mg_purchase: the body itself).
    await side.query(
      "UPDATE idempotency_keys SET status_code = 200, response = $2 WHERE player_id = $1 AND key = 'legacy-key'",
      [pilot.player.id, stored],
    );
    const replay = await call(server, 'POST', api('/shop/items/7/buy'), {
      token: pilot.token,
      headers: { 'idempotency-key': 'legacy-key' },
    });
    expect(first.status).toBe(409); // a new pilot cannot pay for it
    expect(replay.status).toBe(200);
    expect(replay.text).toBe(stored);
  });

  it('one player storming mixed buys and sells (32 in flight, with and without keys): no 5xx, books whole', async () => {
    const pilot = await register(server);
    await fund(server, pilot.player.id, 100_000_000);
    // Two cheap items bought and sold over and over: a buy of an item often meets a sale of the same item.
    const items = [3, 4];
    const answers: Answer[] = [];
    await Promise.all(
      Array.from({ length: 32 }, async (_, worker) => {
        for (let i = 0; i < 12; i++) {
          const id = items[(worker + i) % items.length]!;
          const path = (worker + i) % 4 < 2 ? `/shop/items/${id}/buy` : `/me/items/${id}/sell`;
          const headers: Record<string, string> =
            worker % 2 === 0 ? { 'idempotency-key': `storm-${worker}-${i}` } : {};
          answers.push(await call(server, 'POST', api(path), { token: pilot.token, headers }));
        }
      }),
    );
    const serverErrors = answers.filter((a) => a.status >= 500);
    expect(serverErrors.map((a) => a.text)).toEqual([]);
    for (const a of answers) {
      if (a.status === 429) expect(a.headers.get('retry-after')).toMatch(/^\d+$/);
      expect([200, 409, 429]).toContain(a.status);
    }
    const b = await books(server, pilot.player.id);
    expect(b.balance).toBe(b.ledgerSum);
    expect(b.balance).toBeGreaterThanOrEqual(0);
  });

  it('a player at its in-flight bound gets 429 with Retry-After; other players are served meanwhile', async () => {
    const pilot = await register(configured);
    const other = await register(configured);
    await fund(configured, pilot.player.id, 1_000_000);
    const held = await sideConnection(configured);
    try {
      const hold = await holdPlayerRow(held, pilot.player.id);
      const first = call(configured, 'POST', api('/shop/items/3/buy'), { token: pilot.token });
      await waitForLockWaiters(held, 1);
      const refused = await call(configured, 'POST', api('/me/items/4/sell'), { token: pilot.token });
      expect(refused.status, refused.text).toBe(429);
      expect(refused.body.error.code).toBe('RATE_LIMITED');
      expect(refused.headers.get('retry-after')).toBe('1');
      const elsewhere = await call(configured, 'GET', api('/me/balance'), { token: other.token });
      expect(elsewhere.status).toBe(200);
      await hold.release();
      expect((await first).status).toBe(200);
      // The slot is free again.
      expect((await call(configured, 'POST', api('/me/items/3/sell'), { token: pilot.token })).status).toBe(
        200,
      );
    } finally {
      await held.end();
    }
  });

  it('SELL_PRICE_PERCENT=50: items show and sales pay half the price, rounded down', async () => {
    const pilot = await register(configured);
    await fund(configured, pilot.player.id, 10_000);
    const bought = await call(configured, 'POST', api('/shop/items/3/buy'), { token: pilot.token });
    expect(bought.status).toBe(200);
    expect(bought.body.item.price).toBe(5099);
    expect(bought.body.item.sellPrice).toBe(2549);
    const mine = await call(configured, 'GET', api('/me/items'), { token: pilot.token });
    expect(mine.body.items[0].sellPrice).toBe(2549);
    const sold = await call(configured, 'POST', api('/me/items/3/sell'), { token: pilot.token });
    expect(sold.status).toBe(200);
    expect(sold.body.amount).toBe(2549);
    expect(sold.body.balance).toBe(pilot.loginBonus + 10_000 - 5099 + 2549);
    const b = await books(configured, pilot.player.id);
    expect(b.balance).toBe(b.ledgerSum);
  });

  it('LOGIN_BONUS_COOLDOWN_SECONDS: no second bonus within the cooldown, one again after it', async () => {
    const pilot = await register(configured);
    expect(pilot.loginBonus).toBeGreaterThan(0);
    const credentials = { nickname: pilot.nickname, password: pilot.password };
    const soon = await call(configured, 'POST', api('/auth/login'), { body: credentials });
    expect(soon.status).toBe(200);
    expect(soon.body.loginBonus).toBe(0);
    expect((await books(configured, pilot.player.id)).ledgerRows).toBe(1);
    // An hour and a bit later (the last bonus moved back in time):
    await configured.ctx.database.query({
      name: 'test_age_bonus',
      text: "UPDATE players SET last_bonus_at = now() - interval '3601 seconds' WHERE id = $1",
      values: [pilot.player.id],
    });
    const later = await call(configured, 'POST', api('/auth/login'), { body: credentials });
    expect(later.body.loginBonus).toBeGreaterThan(0);
    const b = await books(configured, pilot.player.id);
    expect(b.ledgerRows).toBe(2);
    expect(b.balance).toBe(pilot.loginBonus + later.body.loginBonus);
  });

  describe('money is bounded by MAX_MONEY', () => {
    it('a grant up to the maximum is paid and reported exactly; one past it is refused (BALANCE_LIMIT)', async () => {
      const admin = await register(server);
      await makeAdmin(server, admin.player.id);
      const pilot = await register(server);
      await fund(server, pilot.player.id, MAX_MONEY - pilot.loginBonus - 1_000_000);
      const grant = (amount: number, key?: string) =>
        call(server, 'POST', api(`/admin/players/${pilot.player.id}/credits`), {
          token: admin.token,
          body: { amount, reason: 'near the top' },
          headers: key ? { 'idempotency-key': key } : {},
        });
      const over = await grant(1_000_001, 'over-the-top');
      expect(over.status, over.text).toBe(409);
      expect(over.body.error.code).toBe('BALANCE_LIMIT');
      expect(over.body.error.details).toEqual({
        balance: MAX_MONEY - 1_000_000,
        amount: 1_000_001,
        max: MAX_MONEY,
      });
      // Stored and replayed like every rule error.
      const replay = await grant(1_000_001, 'over-the-top');
      expect(replay.text).toBe(over.text);
      expect(replay.headers.get('idempotent-replayed')).toBe('true');
      const top = await grant(1_000_000);
      expect(top.status, top.text).toBe(200);
      expect(top.body.balance).toBe(MAX_MONEY);
      const shown = await call(server, 'GET', api('/me/balance'), { token: pilot.token });
      expect(shown.text).toBe(`{"balance":${MAX_MONEY}}`);
      const b = await books(server, pilot.player.id);
      expect(b.balance).toBe(MAX_MONEY);
      expect(b.balance).toBe(b.ledgerSum);
    });

    it('a login bonus at the top is cut to what fits; a sale past the top is refused', async () => {
      const pilot = await register(server);
      await fund(server, pilot.player.id, 5099);
      expect((await call(server, 'POST', api('/shop/items/3/buy'), { token: pilot.token })).status).toBe(200);
      await fund(server, pilot.player.id, MAX_MONEY - pilot.loginBonus - 5);
      const login = await call(server, 'POST', api('/auth/login'), {
        body: { nickname: pilot.nickname, password: pilot.password },
      });
      expect(login.status).toBe(200);
      expect(login.body.loginBonus).toBe(5);
      const sale = await call(server, 'POST', api('/me/items/3/sell'), { token: login.body.token });
      expect(sale.status, sale.text).toBe(409);
      expect(sale.body.error.code).toBe('BALANCE_LIMIT');
      const b = await books(server, pilot.player.id);
      expect(b.balance).toBe(MAX_MONEY);
      expect(b.items).toEqual([3]);
      expect(b.balance).toBe(b.ledgerSum);
    });

    it('the database refuses a balance past the maximum (CHECK)', async () => {
      const pilot = await register(server);
      await expect(
        side.query('UPDATE players SET balance = $1 WHERE id = $2', [String(MAX_MONEY + 1), pilot.player.id]),
      ).rejects.toThrow(/players_balance_max/);
    });
  });
});
