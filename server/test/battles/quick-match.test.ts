/**
 * Battles over real HTTP and WebSockets on every backend: quick match: a pair resolved at once with both
 * stakes held, powers stored at resolution, wins and losses, metrics.
 */
import { type Battle, verifyBattle } from '@metagameplay/protocol';
import { describe, expect, it } from 'vitest';
import { api, call } from '../helpers/http';
import { backends } from '../helpers/server';
import { battleFixture } from './fixture';

describe.each(backends)('battles: quick-match (%s)', (backend) => {
  const f = battleFixture(backend);
  const { pilot, post, sql, expectBooksBalanced, balanceOf } = f;

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
    const listed = await call(f.server, 'GET', api('/battles'), { token: loser.token });
    expect(listed.body.battles[0]).toEqual(battle);
    const metrics = await call(f.server, 'GET', '/metrics');
    expect(metrics.text).toMatch(/battles_total\{status="resolved"\} [1-9]/);
    await expectBooksBalanced();
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
      const bought = await f.server.ctx.services.wallet.purchase(
        who.player.id,
        item?.id ?? 0,
        undefined,
        undefined,
        'en',
      );
      expect(bought.statusCode, bought.body).toBe(200);
    }
    // mg_battle_match, as quick match calls it (B = 0 here, so the powers alone set the odds checked
    // below; base-strength.property.test.ts checks B): 400 battles, 100 per statement.
    for (let i = 0; i < 4; i++) {
      await sql(
        `SELECT count(mg_battle_match($1, $2, 0, encode(sha256(convert_to(gen_random_uuid()::text, 'UTF8')), 'hex'), 0))
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
});
