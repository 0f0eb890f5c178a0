/**
 * Battles over real HTTP and WebSockets on every backend: challenge (stake in escrow, both told), accept
 * (resolved at once, provably fair, Elo), decline, cancel, the rules' refusals (BALANCE_LIMIT, Presence
 * down) and Idempotency-Key.
 */
import { type Battle, MAX_MONEY, verifyBattle } from '@metagameplay/protocol';
import { describe, expect, it, vi } from 'vitest';
import { api, call } from '../helpers/http';
import { backends } from '../helpers/server';
import { battleFixture } from './fixture';

describe.each(backends)('battles: moves (%s)', (backend) => {
  const f = battleFixture(backend);
  const { pilot, post, challenge, sql, expectBooksBalanced, balanceOf } = f;

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
      [winner, loser].map((p) => call(f.server, 'GET', api('/me'), { token: p.token })),
    );
    expect(profiles.map((p) => [p.body.rating, p.body.wins, p.body.losses])).toEqual([
      [1016, 1, 0],
      [984, 0, 1],
    ]);
    // Both players see it; nobody else does (as if it did not exist).
    const outsider = await pilot(0, false);
    expect(
      (await call(f.server, 'GET', api(`/battles/${battle.id}`), { token: a.token })).body.battle,
    ).toEqual(done);
    expect((await call(f.server, 'GET', api(`/battles/${battle.id}`), { token: b.token })).status).toBe(200);
    const hidden = await call(f.server, 'GET', api(`/battles/${battle.id}`), { token: outsider.token });
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
    const ledger = await call(f.server, 'GET', api('/me/transactions'), { token: a.token });
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
      (await call(f.server, 'GET', api(`/battles/${big.id}`), { token: rich.token })).body.battle.status,
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
    const { body } = await call(f.server, 'GET', api(`/battles/${battle.id}`), { token: b.token });
    expect(body.battle.status).toBe('pending');
    expect((await post(a, `/battles/${battle.id}/cancel`)).status).toBe(200);
    await expectBooksBalanced();
  });

  it('a challenge while Presence is down is answered 503 and holds nothing', async () => {
    const a = await pilot(5_000);
    const b = await pilot(5_000);
    const down = vi.spyOn(f.server.ctx.presence, 'isOnline').mockRejectedValueOnce(new Error('redis down'));
    try {
      const answer = await post(a, '/battles', { opponentId: b.player.id, stake: 1_000 });
      expect([answer.status, answer.body.error.code]).toEqual([503, 'SERVICE_UNAVAILABLE']);
    } finally {
      down.mockRestore();
    }
    expect(await balanceOf(a)).toBe(5_000);
  });

  it('a challenge refused its in-flight slot is 429 even while Presence fails (its lookup runs beside the slot)', async () => {
    const a = await pilot(5_000);
    const b = await pilot(5_000);
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    const down = vi.spyOn(f.server.ctx.presence, 'isOnline').mockRejectedValueOnce(new Error('redis down'));
    const full = vi.spyOn(f.server.ctx.inFlight, 'acquire').mockResolvedValue(null);
    try {
      const answer = await post(a, '/battles', { opponentId: b.player.id, stake: 1_000 });
      expect([answer.status, answer.body.error.code]).toEqual([429, 'RATE_LIMITED']);
      expect(down).toHaveBeenCalledOnce();
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(unhandled).toEqual([]);
    } finally {
      full.mockRestore();
      down.mockRestore();
      process.off('unhandledRejection', onUnhandled);
    }
    expect(await balanceOf(a)).toBe(5_000);
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
});
