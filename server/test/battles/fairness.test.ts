/**
 * Battles over real HTTP and WebSockets on every backend: fairness: the database's outcome function over
 * 20,000 seeds under the rule of battles older than the base strength (B = 0), re-checked by verifyBattle.
 */
import { randomUUID } from 'node:crypto';
import { type Battle, seedHashOf, verifyBattle } from '@metagameplay/protocol';
import { describe, expect, it } from 'vitest';
import { backends } from '../helpers/server';
import { battleFixture } from './fixture';

describe.each(backends)('battles: fairness (%s)', (backend) => {
  const f = battleFixture(backend);
  const { sql } = f;

  it('fairness: 20,000 outcomes with powers 1 vs 3 — the challenger wins about 1 in 4; verifyBattle recomputes every one', async () => {
    const n = Number(process.env.BATTLE_FAIRNESS_ROUNDS ?? 20_000);
    const [challengerId, opponentId] = [randomUUID(), randomUUID()];
    // The server's own outcome function (the one every resolution calls) on n fresh seeds and ids.
    const rows = await sql<{ id: string; seed: string; cs: string; os: string; wins: boolean }>(
      `SELECT id, seed, cs, os, mg_challenger_wins(seed, id, cs, os, 1, 3, 0) AS wins
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
        baseStrength: 0,
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
});
