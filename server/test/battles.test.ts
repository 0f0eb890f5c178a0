/**
 * Battles over real HTTP and WebSockets on every backend: challenge with the stake in escrow, accept
 * (resolved at once, provably fair, Elo), decline, cancel, expiry (by the sweep, by a late move, after a
 * restart), the rules' refusals, Idempotency-Key, the reads (one battle, own list, leaderboard), the audit,
 * and races between accept, decline, cancel and expiry forced behind a held battle row: exactly one
 * outcome each, money conserved.
 */
import { randomUUID } from 'node:crypto';
import { type Battle, MAX_MONEY, seedHashOf, verifyBattle } from '@metagameplay/protocol';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { auditMoney } from '../src/features/wallet/wallet.audit';
import { api, books, call, fund, register, type TestPlayer } from './helpers/http';
import { sideConnection, waitForLockWaiters } from './helpers/locks';
import { backends, startServer, type TestServer } from './helpers/server';
import { WsClient } from './helpers/ws';

describe.each(backends)('battles (%s)', (backend) => {
  let server: TestServer;
  let side: pg.Client;
  const sockets: WsClient[] = [];

  beforeAll(async () => {
    // No login bonus: every pilot starts with exactly what the test funds it with.
    server = await startServer(backend, {
      MONEY_MOVES_IN_FLIGHT_MAX: '50',
      LOGIN_BONUS_MIN: '0',
      LOGIN_BONUS_MAX: '0',
    });
    side = await sideConnection(server);
  });
  afterAll(async () => {
    for (const socket of sockets) socket.socket.close();
    await side?.end();
    await server?.close();
  });

  /** A registered pilot with `credits` units, online (a socket open) unless told. */
  async function pilot(units = 100_000, online = true): Promise<TestPlayer & { ws: WsClient | null }> {
    const player = await register(server);
    if (units > 0) await fund(server, player.player.id, units);
    const ws = online ? await WsClient.connect(server.url, player.token) : null;
    if (ws) sockets.push(ws);
    return { ...player, ws };
  }

  const post = (who: TestPlayer, path: string, body?: unknown, headers?: Record<string, string>) =>
    call(server, 'POST', api(path), { token: who.token, body, headers });

  async function challenge(a: TestPlayer, b: TestPlayer, stake: number, extra: Record<string, unknown> = {}) {
    const answer = await post(a, '/battles', { opponentId: b.player.id, stake, ...extra });
    expect(answer.status, answer.text).toBe(201);
    return answer.body.battle as Battle;
  }

  /** Rows of a query on the side connection (outside any transaction it holds open). */
  const sql = async <R extends object>(text: string, values: unknown[]): Promise<R[]> =>
    (await side.query<R & pg.QueryResultRow>(text, values)).rows;

  /** The money audit finds nothing (its findings are the failure message). */
  const expectBooksBalanced = async () => {
    const findings = await auditMoney(server.ctx.database);
    expect(findings, JSON.stringify(findings, null, 1)).toEqual([]);
  };

  const balanceOf = async (who: TestPlayer) => (await books(server, who.player.id)).balance;

  it('challenge holds the stake and tells both; accept resolves at once, pays the winner, moves Elo', async () => {
    const a = await pilot(10_000);
    const b = await pilot(10_000);
    const battle = await challenge(a, b, 2_500, { clientSeed: 'alpha' });
    expect(battle).toMatchObject({
      challengerId: a.player.id,
      opponentId: b.player.id,
      stake: 2_500,
      status: 'pending',
      seed: null,
      winnerId: null,
      challengerClientSeed: 'alpha',
    });
    expect(battle.seedHash).toMatch(/^[0-9a-f]{64}$/);
    expect(await balanceOf(a)).toBe(7_500);
    for (const ws of [a.ws, b.ws]) {
      await ws?.next('battle.challenge', (m) => m.battle.id === battle.id);
    }
    await a.ws?.next('balance', (m) => m.balance === 7_500);

    const accepted = await post(b, `/battles/${battle.id}/accept`, { clientSeed: 'bravo' });
    expect(accepted.status, accepted.text).toBe(200);
    const done = accepted.body.battle as Battle;
    expect(done.status).toBe('resolved');
    expect(done.seed).toMatch(/^[0-9a-f]{64}$/);
    expect(done.opponentClientSeed).toBe('bravo');
    expect(verifyBattle(done)).toMatchObject({ ok: true });
    expect(done.ratingChange).toBe(16); // equal ratings: K/2
    const [winner, loser] = done.winnerId === a.player.id ? [a, b] : [b, a];
    expect(await balanceOf(winner)).toBe(12_500);
    expect(await balanceOf(loser)).toBe(7_500);
    for (const ws of [a.ws, b.ws]) {
      const resolved = await ws?.next('battle.resolved', (m) => m.battle.id === battle.id);
      expect(resolved?.battle.winnerId).toBe(done.winnerId);
    }
    await winner.ws?.next('balance', (m) => m.balance === 12_500);
    await loser.ws?.next('balance', (m) => m.balance === 7_500);
    const profiles = await Promise.all(
      [winner, loser].map((p) => call(server, 'GET', api('/me'), { token: p.token })),
    );
    expect(profiles.map((p) => [p.body.rating, p.body.wins, p.body.losses])).toEqual([
      [1016, 1, 0],
      [984, 0, 1],
    ]);
    // Both players see it; nobody else does (as if it did not exist).
    const outsider = await pilot(0, false);
    expect((await call(server, 'GET', api(`/battles/${battle.id}`), { token: a.token })).body.battle).toEqual(
      done,
    );
    expect((await call(server, 'GET', api(`/battles/${battle.id}`), { token: b.token })).status).toBe(200);
    const hidden = await call(server, 'GET', api(`/battles/${battle.id}`), { token: outsider.token });
    expect([hidden.status, hidden.body.error.code]).toEqual([404, 'NOT_FOUND']);
    await expectBooksBalanced();
  });

  it('decline and cancel give the stake back; each only by its side; a finished battle takes no move', async () => {
    const a = await pilot(5_000);
    const b = await pilot(5_000);
    const first = await challenge(a, b, 1_000);
    const wrongSide = await post(a, `/battles/${first.id}/decline`);
    expect([wrongSide.status, wrongSide.body.error.code]).toEqual([403, 'FORBIDDEN']);
    expect((await post(a, `/battles/${first.id}/accept`)).status).toBe(403);
    const declined = await post(b, `/battles/${first.id}/decline`);
    expect([declined.status, declined.body.battle.status]).toEqual([200, 'declined']);
    expect(declined.body.battle.resolvedAt).not.toBeNull();
    expect(declined.body.battle.seed).toBeNull();
    await a.ws?.next('battle.cancelled', (m) => m.battle.id === first.id && m.battle.status === 'declined');
    expect(await balanceOf(a)).toBe(5_000);

    const second = await challenge(a, b, 1_000);
    expect((await post(b, `/battles/${second.id}/cancel`)).status).toBe(403);
    const cancelled = await post(a, `/battles/${second.id}/cancel`);
    expect([cancelled.status, cancelled.body.battle.status]).toEqual([200, 'cancelled']);
    await b.ws?.next('battle.cancelled', (m) => m.battle.id === second.id);
    expect(await balanceOf(a)).toBe(5_000);
    const late = await post(b, `/battles/${second.id}/accept`);
    expect([late.status, late.body.error.code]).toEqual([409, 'BATTLE_NOT_PENDING']);
    const ledger = await call(server, 'GET', api('/me/transactions'), { token: a.token });
    expect(ledger.body.transactions.slice(0, 4).map((t: { type: string }) => t.type)).toEqual([
      'battle_refund',
      'battle_stake',
      'battle_refund',
      'battle_stake',
    ]);
    await expectBooksBalanced();
  });

  it('refuses what the rules forbid, changing nothing', async () => {
    const a = await pilot(1_000);
    const b = await pilot(1_000);
    const offline = await pilot(1_000, false);
    const refused = async (body: unknown, code: string, status = 409) => {
      const answer = await post(a, '/battles', body);
      expect([answer.status, answer.body.error.code], answer.text).toEqual([status, code]);
      return answer;
    };
    await refused({ opponentId: a.player.id, stake: 0 }, 'INVALID_OPPONENT');
    await refused({ opponentId: offline.player.id, stake: 0 }, 'OPPONENT_OFFLINE');
    await refused({ opponentId: '00000000-0000-4000-8000-000000000000', stake: 0 }, 'PLAYER_NOT_FOUND', 404);
    const poor = await refused({ opponentId: b.player.id, stake: 1_001 }, 'INSUFFICIENT_FUNDS');
    expect(poor.body.error.details).toEqual({ balance: 1_000, required: 1_001 });
    await refused({ opponentId: b.player.id, stake: -1 }, 'VALIDATION_ERROR', 400);
    await refused({ opponentId: b.player.id, stake: 1.5 }, 'VALIDATION_ERROR', 400);
    await refused({ opponentId: b.player.id, stake: 1, clientSeed: 'a:b' }, 'VALIDATION_ERROR', 400);
    await refused({ opponentId: b.player.id, stake: 1, extra: true }, 'VALIDATION_ERROR', 400);
    await refused({ opponentId: 'nope', stake: 1 }, 'VALIDATION_ERROR', 400);
    expect(await balanceOf(a)).toBe(1_000);

    // One pending challenge per opponent, five in all.
    await challenge(a, b, 100);
    await refused({ opponentId: b.player.id, stake: 100 }, 'TOO_MANY_CHALLENGES');
    for (let i = 0; i < 4; i++) await challenge(a, await pilot(0), 0);
    const sixth = await refused({ opponentId: (await pilot(0)).player.id, stake: 0 }, 'TOO_MANY_CHALLENGES');
    expect(sixth.body.error.details).toMatchObject({ max: 5 });

    // The opponent needs the stake too, at accept.
    const rich = await pilot(10_000);
    const broke = await pilot(50);
    const big = await challenge(rich, broke, 5_000);
    const cannot = await post(broke, `/battles/${big.id}/accept`);
    expect([cannot.status, cannot.body.error.code]).toEqual([409, 'INSUFFICIENT_FUNDS']);
    expect(cannot.body.error.details).toEqual({ balance: 50, required: 5_000 });
    expect(
      (await call(server, 'GET', api(`/battles/${big.id}`), { token: rich.token })).body.battle.status,
    ).toBe('pending');
    const unknown = await post(broke, '/battles/00000000-0000-4000-8000-000000000000/accept');
    expect([unknown.status, unknown.body.error.code]).toEqual([404, 'NOT_FOUND']);
    expect((await post(broke, '/battles/not-a-uuid/decline')).status).toBe(400);
    expect((await post(broke, `/battles/${big.id}/decline`, { why: 1 })).status).toBe(400);
    await expectBooksBalanced();
  });

  it('an accept whose payout would pass the maximum balance is refused (BALANCE_LIMIT) and changes nothing', async () => {
    const a = await pilot(MAX_MONEY - 500);
    const b = await pilot(5_000);
    const battle = await challenge(a, b, 1_000);
    const refused = await post(b, `/battles/${battle.id}/accept`);
    expect([refused.status, refused.body.error.code]).toEqual([409, 'BALANCE_LIMIT']);
    expect([await balanceOf(a), await balanceOf(b)]).toEqual([MAX_MONEY - 1_500, 5_000]);
    const { body } = await call(server, 'GET', api(`/battles/${battle.id}`), { token: b.token });
    expect(body.battle.status).toBe('pending');
    expect((await post(a, `/battles/${battle.id}/cancel`)).status).toBe(200);
    await expectBooksBalanced();
  });

  it('a challenge while Presence is down is answered 503 and holds nothing', async () => {
    const a = await pilot(5_000);
    const b = await pilot(5_000);
    const down = vi.spyOn(server.ctx.presence, 'isOnline').mockRejectedValueOnce(new Error('redis down'));
    try {
      const answer = await post(a, '/battles', { opponentId: b.player.id, stake: 1_000 });
      expect([answer.status, answer.body.error.code]).toEqual([503, 'SERVICE_UNAVAILABLE']);
    } finally {
      down.mockRestore();
    }
    expect(await balanceOf(a)).toBe(5_000);
  });

  it('two accepts that take the same two players in opposite roles, queued behind a held row, both resolve', async () => {
    const a = await pilot(10_000);
    const b = await pilot(10_000);
    const aToB = await challenge(a, b, 1_000);
    const bToA = await challenge(b, a, 1_000);
    // The challenger of the first battle is held: a move locking "challenger, then opponent" would take b
    // for the second battle and wait for a, while the first waits for b (a deadlock); in id order, no.
    await side.query('BEGIN');
    await side.query('SELECT 1 FROM players WHERE id = $1 FOR UPDATE', [a.player.id]);
    const accepts = [post(b, `/battles/${aToB.id}/accept`), post(a, `/battles/${bToA.id}/accept`)];
    await waitForLockWaiters(side, 2);
    await side.query('COMMIT');
    const answers = await Promise.all(accepts);
    expect(answers.map((x) => [x.status, x.body.battle?.status])).toEqual([
      [200, 'resolved'],
      [200, 'resolved'],
    ]);
    expect((await balanceOf(a)) + (await balanceOf(b))).toBe(20_000);
    await expectBooksBalanced();
  });

  it('Idempotency-Key: a repeated challenge or accept replays its first answer; another request is refused', async () => {
    const a = await pilot(10_000);
    const b = await pilot(10_000);
    const body = { opponentId: b.player.id, stake: 1_000 };
    const first = await post(a, '/battles', body, { 'idempotency-key': 'duel-1' });
    const again = await post(a, '/battles', body, { 'idempotency-key': 'duel-1' });
    expect(first.status).toBe(201);
    expect([again.status, again.text, again.headers.get('idempotent-replayed')]).toEqual([
      201,
      first.text,
      'true',
    ]);
    const other = await post(a, '/battles', { ...body, stake: 2 }, { 'idempotency-key': 'duel-1' });
    expect([other.status, other.body.error.code]).toEqual([409, 'IDEMPOTENCY_KEY_REUSED']);
    expect(await balanceOf(a)).toBe(9_000);

    const id = first.body.battle.id as string;
    const accept = await post(b, `/battles/${id}/accept`, {}, { 'idempotency-key': 'yes' });
    const acceptAgain = await post(b, `/battles/${id}/accept`, {}, { 'idempotency-key': 'yes' });
    expect([acceptAgain.status, acceptAgain.text]).toEqual([200, accept.text]);
    const stakes = await sql<{ n: number }>(
      "SELECT count(*)::int AS n FROM ledger WHERE battle_id = $1 AND type = 'battle_stake'",
      [id],
    );
    expect(stakes[0]?.n).toBe(2);
  });

  it('an overdue challenge is expired: by the sweep, or by a late accept; refunded once, announced', async () => {
    const a = await pilot(3_000);
    const b = await pilot(3_000);
    const c = await pilot(3_000);
    const swept = await challenge(a, b, 1_000);
    const late = await challenge(a, c, 1_000);
    await side.query("UPDATE battles SET expires_at = now() - interval '1 second' WHERE id = ANY($1)", [
      [swept.id, late.id],
    ]);
    const lateAnswer = await post(c, `/battles/${late.id}/accept`);
    expect([lateAnswer.status, lateAnswer.body.error.code]).toEqual([409, 'BATTLE_NOT_PENDING']);
    expect(await balanceOf(c)).toBe(3_000);
    await server.ctx.services.battles.sweep();
    for (const id of [swept.id, late.id]) {
      const { body } = await call(server, 'GET', api(`/battles/${id}`), { token: a.token });
      expect(body.battle.status).toBe('expired');
      await a.ws?.next('battle.cancelled', (m) => m.battle.id === id && m.battle.status === 'expired');
    }
    await server.ctx.services.battles.sweep();
    expect(await balanceOf(a)).toBe(3_000);
    const refunds = await sql<{ n: number }>(
      "SELECT count(*)::int AS n FROM ledger WHERE battle_id = ANY($1) AND type = 'battle_refund'",
      [[swept.id, late.id]],
    );
    expect(refunds[0]?.n).toBe(2);
    // An expired challenge no longer blocks a new one to the same pilot; one overdue but not swept yet is
    // expired by the new challenge, refunded and announced.
    await challenge(a, b, 1_000);
    const unswept = await challenge(a, c, 500);
    await side.query("UPDATE battles SET expires_at = now() - interval '1 second' WHERE id = $1", [
      unswept.id,
    ]);
    const replacing = await challenge(a, c, 700);
    await c.ws?.next('battle.cancelled', (m) => m.battle.id === unswept.id && m.battle.status === 'expired');
    await c.ws?.next('battle.challenge', (m) => m.battle.id === replacing.id);
    expect(await balanceOf(a)).toBe(3_000 - 1_000 - 700);
    await expectBooksBalanced();
  });

  it('hello carries the pending challenges (both sides); the lists page; the leaderboard ranks', async () => {
    const a = await pilot(10_000);
    const b = await pilot(10_000);
    const battle = await challenge(a, b, 0);
    const again = await WsClient.connect(server.url, b.token);
    sockets.push(again);
    const hello = again.all('hello')[0];
    expect(hello?.pendingChallenges.map((p) => p.id)).toContain(battle.id);
    const mine = await WsClient.connect(server.url, a.token);
    sockets.push(mine);
    expect(mine.all('hello')[0]?.pendingChallenges.map((p) => p.id)).toContain(battle.id);

    // Own battles, newest first, a page at a time.
    for (let i = 0; i < 3; i++) {
      const c = await challenge(a, await pilot(0), 0);
      await post(a, `/battles/${c.id}/cancel`);
    }
    const seen: string[] = [];
    let cursor: string | null = null as string | null;
    do {
      const page: { status: number; text: string; body: { battles: Battle[]; nextCursor: string | null } } =
        await call(server, 'GET', api(`/battles?limit=2${cursor ? `&cursor=${cursor}` : ''}`), {
          token: a.token,
        });
      expect(page.status, page.text).toBe(200);
      seen.push(...page.body.battles.map((x: Battle) => x.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(4);
    expect(seen.at(-1)).toBe(battle.id);
    const bad = await call(server, 'GET', api('/battles?cursor=WyJ4IiwieSJd'), { token: a.token });
    expect([bad.status, bad.body.error.code]).toEqual([400, 'VALIDATION_ERROR']);

    // Leaderboard: by rating, then id; ranks run on across pages.
    const all: { rank: number; rating: number; id: string }[] = [];
    cursor = null;
    do {
      const page: { status: number; text: string; body: { players: typeof all; nextCursor: string | null } } =
        await call(server, 'GET', api(`/leaderboard?limit=7${cursor ? `&cursor=${cursor}` : ''}`), {
          token: a.token,
        });
      expect(page.status, page.text).toBe(200);
      all.push(...page.body.players);
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(all.map((p) => p.rank)).toEqual(all.map((_, i) => i + 1));
    const sorted = [...all].sort((x, y) => y.rating - x.rating || (x.id < y.id ? -1 : 1));
    expect(all.map((p) => p.id)).toEqual(sorted.map((p) => p.id));
    const badBoard = await call(server, 'GET', api('/leaderboard?cursor=WzEsIngiXQ'), { token: a.token });
    expect(badBoard.status).toBe(400);
  });

  it('pending challenges of a stopped server are refunded when a server starts on its database', async () => {
    const a = await pilot(2_000);
    const b = await pilot(2_000);
    const battle = await challenge(a, b, 2_000);
    await side.query("UPDATE battles SET expires_at = now() - interval '1 second' WHERE id = $1", [
      battle.id,
    ]);
    // A second node on the same database starts: its first sweep runs at start-up.
    const restarted = await startServer(backend, {}, { databaseUrl: server.databaseUrl ?? '' });
    try {
      for (let i = 0; i < 100 && (await balanceOf(a)) !== 2_000; i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(await balanceOf(a)).toBe(2_000);
    } finally {
      await restarted.app.close();
      await restarted.ctx.closeInfra();
      await restarted.ctx.database.close();
    }
  });

  it('quick match resolves a pair at once with both stakes held; metrics count battles by outcome', async () => {
    const a = await pilot(4_000);
    const b = await pilot(4_000);
    const stake = 1_234;
    expect((await post(a, '/matchmaking', { stake })).status).toBe(202);
    expect((await post(b, '/matchmaking', { stake })).status).toBe(202);
    const [ra, rb] = await Promise.all([a.ws?.next('battle.resolved'), b.ws?.next('battle.resolved')]);
    expect(ra?.battle.id).toBe(rb?.battle.id);
    const battle = ra?.battle as Battle;
    expect(battle).toMatchObject({
      status: 'resolved',
      stake,
      challengerClientSeed: null,
      opponentClientSeed: null,
    });
    expect(verifyBattle(battle)).toMatchObject({ ok: true });
    const winner = battle.winnerId === a.player.id ? a : b;
    const loser = winner === a ? b : a;
    expect(await balanceOf(winner)).toBe(4_000 + stake);
    expect(await balanceOf(loser)).toBe(4_000 - stake);
    await winner.ws?.next('balance', (m) => m.balance === 4_000 + stake);
    await loser.ws?.next('balance', (m) => m.balance === 4_000 - stake);
    const listed = await call(server, 'GET', api('/battles'), { token: loser.token });
    expect(listed.body.battles[0]).toEqual(battle);
    const metrics = await call(server, 'GET', '/metrics');
    expect(metrics.text).toMatch(/battles_total\{status="resolved"\} [1-9]/);
    await expectBooksBalanced();
  });

  it('fairness: 20,000 outcomes with powers 1 vs 3 — the challenger wins about 1 in 4; verifyBattle recomputes every one', async () => {
    const n = Number(process.env.BATTLE_FAIRNESS_ROUNDS ?? 20_000);
    const [challengerId, opponentId] = [randomUUID(), randomUUID()];
    // The server's own outcome function (the one every resolution calls) on n fresh seeds and ids.
    const rows = await sql<{ id: string; seed: string; cs: string; os: string; wins: boolean }>(
      `SELECT id, seed, cs, os, mg_challenger_wins(seed, id, cs, os, 1, 3) AS wins
       FROM (SELECT gen_random_uuid() AS id, encode(sha256(convert_to(gen_random_uuid()::text, 'UTF8')), 'hex') AS seed,
                    'c' || g AS cs, CASE WHEN g % 2 = 0 THEN 'o' || g END AS os
             FROM generate_series(1, $1) g) s`,
      [n],
    );
    expect(rows).toHaveLength(n);
    let wins = 0;
    for (const row of rows) {
      const battle: Battle = {
        id: row.id,
        challengerId,
        opponentId,
        stake: 0,
        status: 'resolved',
        winnerId: row.wins ? challengerId : opponentId,
        challengerPower: 1,
        opponentPower: 3,
        seedHash: seedHashOf(row.seed),
        seed: row.seed,
        challengerClientSeed: row.cs,
        opponentClientSeed: row.os,
        ratingChange: 16,
        createdAt: new Date().toISOString(),
        expiresAt: new Date().toISOString(),
        resolvedAt: new Date().toISOString(),
      };
      expect(verifyBattle(battle).ok).toBe(true);
      if (row.wins) wins++;
    }
    // Chi-square with one degree of freedom, 0.999 quantile 10.83 (25 % expected).
    const expected = n / 4;
    const chi2 = (wins - expected) ** 2 / expected + (wins - expected) ** 2 / (n - expected);
    expect(chi2).toBeLessThan(10.83);
  });

  it('full resolutions (quick match) store the powers at resolution, verify, and count wins and losses', async () => {
    const weak = await pilot(0, false);
    const strong = await pilot(0, false);
    const [one, three] = await sql<{ id: number }>(
      'INSERT INTO items (name, price, power) VALUES ($1, 0, 1), ($2, 0, 3) RETURNING id',
      [`fair-1-${weak.player.id}`, `fair-3-${weak.player.id}`],
    );
    // Bought through the wallet (free), so the books stay whole.
    for (const [who, item] of [
      [weak, one],
      [strong, three],
    ] as const) {
      const bought = await server.ctx.services.wallet.purchase(
        who.player.id,
        item?.id ?? 0,
        undefined,
        undefined,
        'en',
      );
      expect(bought.statusCode, bought.body).toBe(200);
    }
    // mg_battle_match, as quick match calls it: 400 battles, 100 per statement.
    for (let i = 0; i < 4; i++) {
      await sql(
        `SELECT count(mg_battle_match($1, $2, 0, encode(sha256(convert_to(gen_random_uuid()::text, 'UTF8')), 'hex')))
         FROM generate_series(1, 100)`,
        [weak.player.id, strong.player.id],
      );
    }
    const battles = (
      await sql<{ battle: Battle }>(
        'SELECT mg_battle_json(b) AS battle FROM battles b WHERE challenger_id = $1',
        [weak.player.id],
      )
    ).map((row) => row.battle);
    expect(battles).toHaveLength(400);
    let wins = 0;
    for (const battle of battles) {
      expect(verifyBattle(battle)).toMatchObject({ ok: true, challengerWinChance: 0.25 });
      expect([battle.challengerPower, battle.opponentPower]).toEqual([1, 3]);
      if (battle.winnerId === weak.player.id) wins++;
    }
    expect(wins).toBeGreaterThan(50);
    expect(wins).toBeLessThan(150);
    const [profile] = await sql<{ wins: number; losses: number }>(
      'SELECT wins, losses FROM players WHERE id = $1',
      [weak.player.id],
    );
    expect(profile).toEqual({ wins, losses: 400 - wins });
  });

  it('accept, decline, cancel and expiry fired together behind a held battle row: exactly one outcome, money conserved', async () => {
    const rounds = Number(process.env.BATTLE_STORM_ROUNDS ?? 200);
    const batch = 4;
    const a = await pilot(100_000_000);
    const players = await Promise.all(Array.from({ length: batch }, () => pilot(100_000_000)));
    const total = async () => {
      const rows = await sql<{ money: string }>(
        "SELECT (SELECT SUM(balance) FROM players) + (SELECT COALESCE(SUM(stake), 0) FROM battles WHERE status = 'pending') AS money",
        [],
      );
      return Number(rows[0]?.money);
    };
    const before = await total();
    const outcomes = new Map<string, number>();
    for (let done = 0; done < rounds; done += batch) {
      const battles = await Promise.all(players.map((b, i) => challenge(a, b, 1_000 + i)));
      const ids = battles.map((x) => x.id);
      // Half of the rounds are overdue by the time the lock is released: expiry joins the race.
      const overdue = (done / batch) % 2 === 1;
      await side.query('BEGIN');
      await side.query('SELECT 1 FROM battles WHERE id = ANY($1) FOR UPDATE', [ids]);
      if (overdue) {
        await side.query("UPDATE battles SET expires_at = now() - interval '1 second' WHERE id = ANY($1)", [
          ids,
        ]);
      }
      const moves = battles.flatMap((battle, i) => {
        const b = players[i] as TestPlayer;
        return [
          post(b, `/battles/${battle.id}/accept`),
          post(b, `/battles/${battle.id}/decline`),
          post(a, `/battles/${battle.id}/cancel`),
        ];
      });
      await waitForLockWaiters(side, moves.length);
      const sweep = server.ctx.services.battles.sweep();
      await side.query('COMMIT');
      const answers = await Promise.all(moves);
      await sweep;
      await server.ctx.services.battles.sweep();
      for (const [i, battle] of battles.entries()) {
        const mine = answers.slice(i * 3, i * 3 + 3);
        expect(mine.every((m) => m.status === 200 || m.body.error?.code === 'BATTLE_NOT_PENDING')).toBe(true);
        const { body } = await call(server, 'GET', api(`/battles/${battle.id}`), { token: a.token });
        const status = body.battle.status as string;
        outcomes.set(status, (outcomes.get(status) ?? 0) + 1);
        expect(mine.filter((m) => m.status === 200)).toHaveLength(status === 'expired' ? 0 : 1);
        if (overdue) expect(status).toBe('expired');
        const rows = await sql<{ type: string; n: number }>(
          'SELECT type, count(*)::int AS n FROM ledger WHERE battle_id = $1 GROUP BY type ORDER BY type',
          [battle.id],
        );
        const counts = Object.fromEntries(rows.map((r) => [r.type, r.n]));
        expect(counts).toEqual(
          status === 'resolved'
            ? { battle_payout: 1, battle_stake: 2 }
            : { battle_refund: 1, battle_stake: 1 },
        );
      }
    }
    expect(await total()).toBe(before);
    await expectBooksBalanced();
    expect(outcomes.get('expired')).toBeGreaterThan(0);
    expect(
      (outcomes.get('resolved') ?? 0) + (outcomes.get('declined') ?? 0) + (outcomes.get('cancelled') ?? 0),
    ).toBeGreaterThan(0);
  }, 300_000);
});
