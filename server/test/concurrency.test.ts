/**
 * Money under concurrency: parallel requests must serialize on the database, never overspend, never pay
 * twice, never lose a ledger row. Every test ends by checking balance = Σ ledger for the players involved.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Answer, api, books, call, fund, register } from './helpers/http';
import { backends, startServer, type TestServer } from './helpers/server';

describe.each(backends)('concurrency on %s', (backend) => {
  let server: TestServer;
  let catalog: { id: number; price: number }[];
  beforeAll(async () => {
    server = await startServer(backend);
    catalog = (await call(server, 'GET', api('/shop/items?limit=100'))).body.items;
  });
  afterAll(async () => {
    await server?.close();
  });

  const count = (answers: Answer[], status: number) => answers.filter((a) => a.status === status).length;

  it('20 parallel buys of one item: exactly one succeeds', async () => {
    const pilot = await register(server);
    await fund(server, pilot.player.id, 1_000_000);
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        call(server, 'POST', api('/shop/items/1/buy'), { token: pilot.token }),
      ),
    );
    expect(count(answers, 200)).toBe(1);
    expect(answers.filter((a) => a.status !== 200).every((a) => a.body.error.code === 'ALREADY_OWNED')).toBe(
      true,
    );
    const b = await books(server, pilot.player.id);
    expect(b.items).toEqual([1]);
    expect(b.balance).toBe(pilot.loginBonus + 1_000_000 - 150075);
    expect(b.balance).toBe(b.ledgerSum);
  });

  it('parallel buys of the whole catalog: spend ≤ balance, inventory = successes', async () => {
    const pilot = await register(server);
    const budget = 900_000; // enough for some items, not for all
    await fund(server, pilot.player.id, budget);
    const start = pilot.loginBonus + budget;
    const answers = await Promise.all(
      catalog.map((item) => call(server, 'POST', api(`/shop/items/${item.id}/buy`), { token: pilot.token })),
    );
    const bought = catalog.filter((_, i) => answers[i]!.status === 200);
    const spent = bought.reduce((sum, item) => sum + item.price, 0);
    expect(bought.length).toBeGreaterThan(0);
    expect(bought.length).toBeLessThan(catalog.length);
    expect(spent).toBeLessThanOrEqual(start);
    for (const a of answers) if (a.status !== 200) expect(a.body.error.code).toBe('INSUFFICIENT_FUNDS');
    const b = await books(server, pilot.player.id);
    expect(b.items).toEqual(bought.map((i) => i.id).sort((x, y) => x - y));
    expect(b.balance).toBe(start - spent);
    expect(b.balance).toBe(b.ledgerSum);
    expect(b.balance).toBeGreaterThanOrEqual(0);
  });

  it('20 parallel sells of one item: one payout', async () => {
    const pilot = await register(server);
    await fund(server, pilot.player.id, 10_000);
    expect((await call(server, 'POST', api('/shop/items/3/buy'), { token: pilot.token })).status).toBe(200);
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => call(server, 'POST', api('/me/items/3/sell'), { token: pilot.token })),
    );
    expect(count(answers, 200)).toBe(1);
    expect(answers.filter((a) => a.status !== 200).every((a) => a.body.error.code === 'NOT_OWNED')).toBe(
      true,
    );
    const b = await books(server, pilot.player.id);
    expect(b.balance).toBe(pilot.loginBonus + 10_000);
    expect(b.balance).toBe(b.ledgerSum);
    expect(b.items).toEqual([]);
  });

  it('idempotent replays under concurrency charge once and answer identically', async () => {
    const pilot = await register(server);
    await fund(server, pilot.player.id, 1_000_000);
    const headers = { 'idempotency-key': `buy-${pilot.player.id}` };
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        call(server, 'POST', api('/shop/items/2/buy'), { token: pilot.token, headers }),
      ),
    );
    expect(count(answers, 200)).toBe(20);
    expect(new Set(answers.map((a) => a.text)).size).toBe(1);
    expect(answers.filter((a) => a.headers.get('idempotent-replayed') === 'true').length).toBe(19);
    const b = await books(server, pilot.player.id);
    expect(b.items).toEqual([2]);
    expect(b.balance).toBe(pilot.loginBonus + 1_000_000 - 450030);
    expect(b.ledgerRows).toBe(3); // bonus, grant, one purchase

    const sellHeaders = { 'idempotency-key': `sell-${pilot.player.id}` };
    const sells = await Promise.all(
      Array.from({ length: 10 }, () =>
        call(server, 'POST', api('/me/items/2/sell'), { token: pilot.token, headers: sellHeaders }),
      ),
    );
    expect(count(sells, 200)).toBe(10);
    expect(new Set(sells.map((a) => a.text)).size).toBe(1);
    const after = await books(server, pilot.player.id);
    expect(after.balance).toBe(pilot.loginBonus + 1_000_000);
    expect(after.balance).toBe(after.ledgerSum);
  });

  it('a failed purchase is replayed as the same failure, even after funds arrive', async () => {
    const pilot = await register(server);
    const headers = { 'idempotency-key': 'poor-attempt' };
    const first = await call(server, 'POST', api('/shop/items/2/buy'), { token: pilot.token, headers });
    expect(first.status).toBe(409);
    await fund(server, pilot.player.id, 1_000_000);
    const replay = await call(server, 'POST', api('/shop/items/2/buy'), { token: pilot.token, headers });
    expect(replay.status).toBe(409);
    expect(replay.text).toBe(first.text);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    const fresh = await call(server, 'POST', api('/shop/items/2/buy'), {
      token: pilot.token,
      headers: { 'idempotency-key': 'second-attempt' },
    });
    expect(fresh.status).toBe(200);
  });

  it('parallel logins each pay one bonus and keep the books whole', async () => {
    const pilot = await register(server);
    const answers = await Promise.all(
      Array.from({ length: 8 }, () =>
        call(server, 'POST', api('/auth/login'), {
          body: { nickname: pilot.nickname, password: pilot.password },
        }),
      ),
    );
    expect(count(answers, 200)).toBe(8);
    const bonuses = answers.reduce((sum, a) => sum + (a.body.loginBonus as number), 0);
    const b = await books(server, pilot.player.id);
    expect(b.balance).toBe(pilot.loginBonus + bonuses);
    expect(b.balance).toBe(b.ledgerSum);
    expect(b.ledgerRows).toBe(9);
  });
});
