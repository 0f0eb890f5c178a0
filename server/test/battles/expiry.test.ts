/**
 * Battles over real HTTP and WebSockets on every backend: expiry: by the sweep, by a late move, and after a
 * restart on the same database; refunded once, announced.
 */
import { describe, expect, it } from 'vitest';
import { api, call } from '../helpers/http';
import { backends, startServer } from '../helpers/server';
import { battleFixture } from './fixture';

describe.each(backends)('battles: expiry (%s)', (backend) => {
  const f = battleFixture(backend);
  const { pilot, post, challenge, sql, expectBooksBalanced, balanceOf } = f;

  it('an overdue challenge is expired: by the sweep, or by a late accept; refunded once, announced', async () => {
    const a = await pilot(3_000);
    const b = await pilot(3_000);
    const c = await pilot(3_000);
    const swept = await challenge(a, b, 1_000);
    const late = await challenge(a, c, 1_000);
    await f.side.query("UPDATE battles SET expires_at = now() - interval '1 second' WHERE id = ANY($1)", [
      [swept.id, late.id],
    ]);
    const lateAnswer = await post(c, `/battles/${late.id}/accept`);
    expect([lateAnswer.status, lateAnswer.body.error.code]).toEqual([409, 'BATTLE_NOT_PENDING']);
    expect(await balanceOf(c)).toBe(3_000);
    await f.server.ctx.services.battles.sweep();
    for (const id of [swept.id, late.id]) {
      const { body } = await call(f.server, 'GET', api(`/battles/${id}`), { token: a.token });
      expect(body.battle.status).toBe('expired');
      await a.ws?.next('battle.cancelled', (m) => m.battle.id === id && m.battle.status === 'expired');
    }
    await f.server.ctx.services.battles.sweep();
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
    await f.side.query("UPDATE battles SET expires_at = now() - interval '1 second' WHERE id = $1", [
      unswept.id,
    ]);
    const replacing = await challenge(a, c, 700);
    await c.ws?.next('battle.cancelled', (m) => m.battle.id === unswept.id && m.battle.status === 'expired');
    await c.ws?.next('battle.challenge', (m) => m.battle.id === replacing.id);
    expect(await balanceOf(a)).toBe(3_000 - 1_000 - 700);
    await expectBooksBalanced();
  });

  it('pending challenges of a stopped server are refunded when a server starts on its database', async () => {
    const a = await pilot(2_000);
    const b = await pilot(2_000);
    const battle = await challenge(a, b, 2_000);
    await f.side.query("UPDATE battles SET expires_at = now() - interval '1 second' WHERE id = $1", [
      battle.id,
    ]);
    // A second node on the same database starts: its first sweep runs at start-up.
    const restarted = await startServer(backend, {}, { databaseUrl: f.server.databaseUrl ?? '' });
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
});
