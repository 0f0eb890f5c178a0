/**
 * The console's catalog, books, economy and dashboard endpoints (API.md "The operator's console"):
 * refusals, audit-log rows, the economy's figures against SQL sums over the ledger, the dashboard of two
 * nodes sharing Redis.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../src/db/client';
import { lastClosedDay } from '../../src/features/admin/economy.repository';
import { percentileMs, totalSeries } from '../../src/features/admin/dashboard.service';
import { api, call, makeAdmin, register, uniqueNickname, type TestPlayer } from '../helpers/http';
import { sharedBackend, startServer, type TestServer } from '../helpers/server';

const DAY_MS = 86_400_000;

async function auditRows(server: TestServer, action: string) {
  return rowsOf<{ admin_id: string; item_id: number | null; reason: string | null; details: any }>(
    await server.ctx.database.db.execute(
      sql`SELECT admin_id, item_id, reason, details FROM admin_audit_log WHERE action = ${action} ORDER BY id`,
    ),
  );
}

describe('console: catalog, books, refusals', () => {
  let server: TestServer;
  let boss: TestPlayer;
  let pilot: TestPlayer;
  beforeAll(async () => {
    server = await startServer(sharedBackend);
    boss = await register(server);
    await makeAdmin(server, boss.player.id);
    pilot = await register(server);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('refuses every console endpoint to a player (403) and to no token (401)', async () => {
    const endpoints: [string, string, unknown?][] = [
      ['GET', '/admin/items'],
      ['POST', '/admin/items/1/restore', {}],
      ['POST', '/admin/books/check', {}],
      ['GET', '/admin/dashboard'],
      ['GET', '/admin/economy?days=7'],
    ];
    for (const [method, path, body] of endpoints) {
      const asPlayer = await call(server, method, api(path), { token: pilot.token, body });
      expect([path, asPlayer.status, asPlayer.body.error?.code]).toEqual([path, 403, 'FORBIDDEN']);
      const anonymous = await call(server, method, api(path), { body });
      expect([path, anonymous.status]).toEqual([path, 401]);
    }
    const bad = await call(server, 'GET', api('/admin/economy?days=8'), { token: boss.token });
    expect(bad.status).toBe(400);
  });

  it('creates, edits (translations too), retires and restores items, each in the audit log', async () => {
    const name = uniqueNickname('Ion cannon');
    const created = await call(server, 'POST', api('/admin/items'), {
      token: boss.token,
      body: { name, price: 12_345, power: 7, names: { ru: 'Ионная пушка' }, reason: 'winter event' },
    });
    expect(created.status).toBe(201);
    const id: number = created.body.item.id;
    expect(created.body.item).toMatchObject({ name, names: { ru: 'Ионная пушка' }, active: true });

    expect(
      (
        await call(server, 'DELETE', api(`/admin/items/${id}`), {
          token: boss.token,
          body: { reason: 'recall' },
        })
      ).status,
    ).toBe(204);
    const listed = await call(server, 'GET', api('/admin/items'), { token: boss.token });
    expect(listed.body.items.find((item: { id: number }) => item.id === id)).toMatchObject({ active: false });

    // A retired item can be edited; its new translation shows once it is back in the shop.
    const edited = await call(server, 'PATCH', api(`/admin/items/${id}`), {
      token: boss.token,
      body: { price: 9_999, names: { ru: 'Ионное орудие', en: 'Ion gun' }, reason: 'typo' },
    });
    expect(edited.status).toBe(200);
    expect(edited.body.item).toMatchObject({ price: 9_999, active: false });
    expect((await call(server, 'GET', api(`/shop/items/${id}`))).status).toBe(404);
    const restored = await call(server, 'POST', api(`/admin/items/${id}/restore`), {
      token: boss.token,
      body: { reason: 'back by demand' },
    });
    expect(restored.status).toBe(200);
    const again = await call(server, 'POST', api(`/admin/items/${id}/restore`), {
      token: boss.token,
      body: {},
    });
    expect(again.status).toBe(404);
    const shop = await call(server, 'GET', api(`/shop/items/${id}?lang=ru`));
    expect(shop.body).toMatchObject({ id, name: 'Ионное орудие', price: 9_999 });

    for (const [action, reason] of [
      ['item_create', 'winter event'],
      ['item_retire', 'recall'],
      ['item_update', 'typo'],
      ['item_restore', 'back by demand'],
    ] as const) {
      const rows = (await auditRows(server, action)).filter((row) => row.item_id === id);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ admin_id: boss.player.id, reason });
    }
    const [update] = (await auditRows(server, 'item_update')).filter((row) => row.item_id === id);
    expect(update?.details).toMatchObject({ price: { from: 12_345, to: 9_999 } });
  });

  it('runs the books check, finds a broken balance, and records each run', async () => {
    const clean = await call(server, 'POST', api('/admin/books/check'), { token: boss.token, body: {} });
    expect(clean.status).toBe(200);
    expect(clean.body).toMatchObject({ ok: true, findings: [] });
    const db = server.ctx.database.db;
    await db.execute(sql`UPDATE players SET balance = balance + 1 WHERE id = ${pilot.player.id}`);
    try {
      const broken = await call(server, 'POST', api('/admin/books/check'), {
        token: boss.token,
        body: { reason: 'support ticket 42' },
      });
      expect(broken.body.ok).toBe(false);
      expect(broken.body.findings).toContainEqual(
        expect.objectContaining({
          check: 'balance_vs_ledger',
          message: expect.stringContaining(pilot.player.id),
        }),
      );
    } finally {
      await db.execute(sql`UPDATE players SET balance = balance - 1 WHERE id = ${pilot.player.id}`);
    }
    const runs = await auditRows(server, 'books_check');
    expect(runs.map((run) => [run.reason, run.details.ok])).toEqual([
      [null, true],
      ['support ticket 42', false],
    ]);
  });
});

describe('console: the economy matches the ledger', () => {
  let server: TestServer;
  let boss: TestPlayer;
  const now = Date.now();
  beforeAll(async () => {
    server = await startServer(sharedBackend);
    // An old pilot whose ledger goes back 40 days, written before anything else (the ledger is in time
    // order, as in a live game), with battles held and paid out, a grant, shop moves and a market fee.
    const db = server.ctx.database.db;
    const [old] = rowsOf<{ id: string }>(
      await db.execute(sql`INSERT INTO players (nickname, nickname_key, password_hash)
                           VALUES ('old-timer', 'old-timer', 'x') RETURNING id`),
    );
    const moves: [number, string, number][] = [];
    for (let daysAgo = 40; daysAgo >= 1; daysAgo -= 3) {
      moves.push([daysAgo, 'login_bonus', 1_500 + daysAgo]);
      moves.push([daysAgo, 'purchase', -700]);
      if (daysAgo % 2 === 0) moves.push([daysAgo, 'sale', 350]);
      if (daysAgo % 5 === 1) moves.push([daysAgo, 'admin_grant', 10_000]);
      if (daysAgo % 4 === 0) moves.push([daysAgo, 'battle_stake', -200], [daysAgo, 'battle_refund', 200]);
      if (daysAgo % 7 === 0) moves.push([daysAgo, 'market_fee', -25]);
    }
    // One statement, so a summing of days running meanwhile (the job at start) sees all of it or none.
    let balance = 0;
    const values = moves.map(([daysAgo, type, amount]) => {
      balance += amount;
      const at = new Date(now - daysAgo * DAY_MS).toISOString();
      return sql`(${old!.id}::uuid, ${type}, ${amount}::bigint, ${balance}::bigint, ${at}::timestamptz)`;
    });
    await db.execute(sql`INSERT INTO ledger (player_id, type, amount, balance_after, created_at)
                         VALUES ${sql.join(values, sql`, `)}`);
    await db.execute(sql`UPDATE players SET balance = ${balance} WHERE id = ${old!.id}`);
    boss = await register(server);
    await makeAdmin(server, boss.player.id);
  });
  afterAll(async () => {
    await server?.close();
  });

  async function ledgerByDay(): Promise<Map<string, Record<string, { count: number; amount: number }>>> {
    const rows = rowsOf<{ day: string; type: string; n: string; total: string }>(
      await server.ctx.database.db.execute(sql`
        SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, type, count(*) AS n, sum(amount) AS total
        FROM ledger GROUP BY 1, 2`),
    );
    const days = new Map<string, Record<string, { count: number; amount: number }>>();
    for (const row of rows) {
      const flows = days.get(row.day) ?? {};
      flows[row.type] = { count: Number(row.n), amount: Number(row.total) };
      days.set(row.day, flows);
    }
    return days;
  }

  async function supplyAtEndOf(day: string): Promise<number> {
    const [row] = rowsOf<{ supply: string }>(
      await server.ctx.database.db.execute(sql`
        SELECT COALESCE(sum(amount), 0) AS supply FROM ledger
        WHERE type NOT IN ('battle_stake', 'battle_payout', 'battle_refund')
          AND created_at < (${day}::date + 1)::timestamp AT TIME ZONE 'UTC'`),
    );
    return Number(row?.supply);
  }

  it('answers each day’s flows and supply exactly as SQL sums over the ledger, before and after summing days', async () => {
    const expected = await ledgerByDay();
    for (const round of ['first read', 'from ledger_days']) {
      for (const days of [7, 30, 90]) {
        const answer = await call(server, 'GET', api(`/admin/economy?days=${days}`), { token: boss.token });
        expect(answer.status).toBe(200);
        expect(answer.body.days).toHaveLength(days);
        for (const day of answer.body.days) {
          expect([round, day.day, day.flows]).toEqual([round, day.day, expected.get(day.day) ?? {}]);
          expect([round, day.day, day.supply]).toEqual([round, day.day, await supplyAtEndOf(day.day)]);
        }
        const [totals] = rowsOf<{ balances: string; escrow: string }>(
          await server.ctx.database.db.execute(sql`
            SELECT (SELECT sum(balance) FROM players) AS balances,
                   (SELECT COALESCE(sum(stake), 0) FROM battles WHERE status = 'pending') AS escrow`),
        );
        expect(answer.body.supply).toBe(Number(totals?.balances) + Number(totals?.escrow));
        expect(answer.body.topHolders[0]).toMatchObject({ nickname: 'old-timer' });
      }
    }
    // The closed days are summed once; today and yesterday are not.
    const summed = rowsOf<{ day: string }>(
      await server.ctx.database.db.execute(sql`SELECT DISTINCT day FROM ledger_days ORDER BY day`),
    ).map((row) => row.day);
    expect(summed.length).toBeGreaterThanOrEqual(39);
    expect(summed.at(-1)! <= lastClosedDay(Date.now())).toBe(true);
    expect(summed).not.toContain(new Date().toISOString().slice(0, 10));
  });

  it('sums a day for good only an hour after it ended', () => {
    const midnight = Date.parse('2026-12-07T00:00:00.000Z');
    expect(lastClosedDay(midnight + 30 * 60_000)).toBe('2026-12-05');
    expect(lastClosedDay(midnight + 61 * 60_000)).toBe('2026-12-06');
  });
});

describe('console: dashboard figures', () => {
  it('takes percentiles from per-bucket counts and sums nodes per sampling slot', () => {
    // buckets: ≤1 ms, ≤2.5, ≤5, ≤10, ...
    expect(percentileMs([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], 0.5)).toBe(0);
    expect(percentileMs([50, 49, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0], 0.5)).toBe(1);
    expect(percentileMs([50, 49, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0], 0.99)).toBe(2.5);
    expect(percentileMs([50, 49, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0], 1)).toBe(10);
    const point = (t: number, requests: number, buckets: number[]) => ({
      t,
      playersOnline: 1,
      requestsPerSecond: requests,
      moneyMovesPerSecond: 0,
      battlesPerSecond: 0,
      errorsPerSecond: 0,
      p50Ms: 0,
      p99Ms: 0,
      buckets,
    });
    const total = totalSeries([
      { nodeId: 'a', startedAt: 0, postgres: 'ok', redis: 'ok', points: [point(4_100, 10, [10, 0, 0])] },
      { nodeId: 'b', startedAt: 0, postgres: 'ok', redis: 'ok', points: [point(5_900, 5, [0, 0, 5])] },
    ]);
    expect(total).toEqual([
      expect.objectContaining({ t: 4_000, playersOnline: 2, requestsPerSecond: 15, p50Ms: 1, p99Ms: 5 }),
    ]);
  });

  it.runIf(process.env.TEST_REDIS_URL)(
    'shows every node sharing Redis, with the requests each one served',
    async () => {
      const prefix = `mg-test-dash-${process.pid}-${Date.now()}:`;
      const env = { REDIS_URL: process.env.TEST_REDIS_URL! };
      const a = await startServer(sharedBackend, env, { redisKeyPrefix: prefix });
      const b = await startServer(sharedBackend, env, {
        redisKeyPrefix: prefix,
        databaseUrl: a.databaseUrl!,
      });
      try {
        const boss = await register(a);
        await makeAdmin(a, boss.player.id);
        await a.ctx.services.dashboard.sample();
        await b.ctx.services.dashboard.sample();
        for (let i = 0; i < 20; i++) await call(b, 'GET', api('/shop/items'));
        await a.ctx.services.dashboard.sample();
        await b.ctx.services.dashboard.sample();
        const answer = await call(a, 'GET', api('/admin/dashboard'), { token: boss.token });
        expect(answer.status).toBe(200);
        expect(answer.body.nodes).toHaveLength(2);
        const [nodeA, nodeB] = [a, b].map((server) =>
          answer.body.nodes.find((node: { nodeId: string }) => node.nodeId === server.ctx.presence.nodeId),
        );
        expect(nodeA).toMatchObject({ self: true, postgres: 'ok', redis: 'ok' });
        expect(nodeB).toMatchObject({ self: false, postgres: 'ok', redis: 'ok' });
        expect(nodeB.series.at(-1).requestsPerSecond).toBeGreaterThan(0);
        expect(nodeB.series.at(-1).p99Ms).toBeGreaterThan(0);
        const total = answer.body.total.series.reduce(
          (sum: number, p: { requestsPerSecond: number }) => sum + p.requestsPerSecond,
          0,
        );
        const each = answer.body.nodes.reduce(
          (sum: number, node: { series: { requestsPerSecond: number }[] }) =>
            sum + node.series.reduce((s, p) => s + p.requestsPerSecond, 0),
          0,
        );
        expect(total).toBeCloseTo(each, 0);
      } finally {
        await b.close();
        await a.close();
      }
    },
  );
});
