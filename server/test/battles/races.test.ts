/**
 * Battles over real HTTP and WebSockets on every backend: races forced behind a held row: two accepts in
 * opposite roles, and accept, decline, cancel and expiry fired together: exactly one outcome each, money
 * conserved.
 */
import { describe, expect, it } from 'vitest';
import { api, call, type TestPlayer } from '../helpers/http';
import { waitForLockWaiters } from '../helpers/locks';
import { backends } from '../helpers/server';
import { battleFixture } from './fixture';

describe.each(backends)('battles: races (%s)', (backend) => {
  const f = battleFixture(backend);
  const { pilot, post, challenge, sql, expectBooksBalanced, balanceOf } = f;

  it('two accepts that take the same two players in opposite roles, queued behind a held row, both resolve', async () => {
    const a = await pilot(10_000);
    const b = await pilot(10_000);
    const aToB = await challenge(a, b, 1_000);
    const bToA = await challenge(b, a, 1_000);
    // The challenger of the first battle is held: a move locking "challenger, then opponent" would take b
    // for the second battle and wait for a, while the first waits for b (a deadlock); in id order, no.
    await f.side.query('BEGIN');
    await f.side.query('SELECT 1 FROM players WHERE id = $1 FOR UPDATE', [a.player.id]);
    const accepts = [post(b, `/battles/${aToB.id}/accept`), post(a, `/battles/${bToA.id}/accept`)];
    await waitForLockWaiters(f.side, 2);
    await f.side.query('COMMIT');
    const answers = await Promise.all(accepts);
    expect(answers.map((x) => [x.status, x.body.battle?.status])).toEqual([
      [200, 'resolved'],
      [200, 'resolved'],
    ]);
    expect((await balanceOf(a)) + (await balanceOf(b))).toBe(20_000);
    await expectBooksBalanced();
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
      await f.side.query('BEGIN');
      await f.side.query('SELECT 1 FROM battles WHERE id = ANY($1) FOR UPDATE', [ids]);
      if (overdue) {
        await f.side.query("UPDATE battles SET expires_at = now() - interval '1 second' WHERE id = ANY($1)", [
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
      await waitForLockWaiters(f.side, moves.length);
      const sweep = f.server.ctx.services.battles.sweep();
      await f.side.query('COMMIT');
      const answers = await Promise.all(moves);
      await sweep;
      await f.server.ctx.services.battles.sweep();
      for (const [i, battle] of battles.entries()) {
        const mine = answers.slice(i * 3, i * 3 + 3);
        expect(mine.every((m) => m.status === 200 || m.body.error?.code === 'BATTLE_NOT_PENDING')).toBe(true);
        const { body } = await call(f.server, 'GET', api(`/battles/${battle.id}`), { token: a.token });
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
