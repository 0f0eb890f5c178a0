/**
 * The base strength B (issue 17): the database's outcome function (mg_challenger_wins, called by
 * mg_battle_settle) and packages/protocol battleOutcome / verifyBattle agree on who wins over thousands of
 * random powers, base strengths and seeds, extremes included, each set computed by the database in one
 * statement; a pilot of power 0 against the whole catalog wins about B / (573 + 2B) of its battles (never
 * 0 %); a battle fought now carries the configured B and verifies; a battle resolved under the old rule
 * (B = 0) still verifies, and would not verify if its B were read as today's.
 */
import { randomUUID } from 'node:crypto';
import {
  type Battle,
  battleOutcome,
  challengerWinChance,
  seedHashOf,
  verifyBattle,
} from '@metagameplay/protocol';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backends } from '../helpers/server';
import { battleFixture } from './fixture';

const INT_MAX = 2_147_483_647;

interface Case {
  id: string;
  seed: string;
  cs: string | null;
  os: string | null;
  cp: number;
  op: number;
  base: number;
}

const hex64 = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => Buffer.from(b).toString('hex'));
const power = fc.oneof(fc.integer({ min: 0, max: 1000 }), fc.constantFrom(0, 1, INT_MAX - 1, INT_MAX));
const base = fc.oneof(fc.integer({ min: 0, max: 200 }), fc.constantFrom(0, 1, 1_000_000));
const clientSeed = fc.option(fc.stringMatching(/^[\x21-\x39\x3B-\x7E]{1,64}$/), { nil: null });
const cases = fc.array(
  fc.record({
    id: fc.uuid({ version: 4 }),
    seed: hex64,
    cs: clientSeed,
    os: clientSeed,
    cp: power,
    op: power,
    base,
  }),
  { minLength: 1, maxLength: 500 },
);

describe.each(backends)('battles: base strength (%s)', (backend) => {
  const f = battleFixture(backend);

  const sqlWins = async (list: readonly Case[]): Promise<boolean[]> => {
    const rows = await f.sql<{ wins: boolean }>(
      `SELECT mg_challenger_wins(seed, id, cs, os, cp, op, b) AS wins
       FROM unnest($1::text[], $2::uuid[], $3::text[], $4::text[], $5::int[], $6::int[], $7::int[])
            WITH ORDINALITY AS t(seed, id, cs, os, cp, op, b, i)
       ORDER BY i`,
      [
        list.map((c) => c.seed),
        list.map((c) => c.id),
        list.map((c) => c.cs),
        list.map((c) => c.os),
        list.map((c) => c.cp),
        list.map((c) => c.op),
        list.map((c) => c.base),
      ],
    );
    return rows.map((row) => row.wins);
  };

  it('SQL and TypeScript name the same winner over random powers, base strengths and seeds', async () => {
    await fc.assert(
      fc.asyncProperty(cases, async (list) => {
        const fromSql = await sqlWins(list);
        const fromTs = list.map(
          (c) =>
            battleOutcome({
              seed: c.seed,
              battleId: c.id,
              challengerClientSeed: c.cs,
              opponentClientSeed: c.os,
              challengerPower: c.cp,
              opponentPower: c.op,
              baseStrength: c.base,
            }).challengerWins,
        );
        expect(fromSql).toEqual(fromTs);
      }),
      { numRuns: 20 },
    );
  });

  it('no battle is certain with B ≥ 1: power 0 against the whole catalog (573) wins about B / (573 + 2B)', async () => {
    const n = 20_000;
    const b = 50;
    const rows = await f.sql<{ wins: boolean }>(
      `SELECT mg_challenger_wins(encode(sha256(convert_to(gen_random_uuid()::text, 'UTF8')), 'hex'),
                                 gen_random_uuid(), NULL, NULL, 0, 573, $2) AS wins
       FROM generate_series(1, $1)`,
      [n, b],
    );
    const wins = rows.filter((row) => row.wins).length;
    const p = challengerWinChance(0, 573, b);
    expect(p).toBeCloseTo(50 / 673, 12);
    const expected = n * p;
    const chi2 = (wins - expected) ** 2 / expected + (wins - expected) ** 2 / (n - expected);
    expect(chi2).toBeLessThan(10.83);
    // The odds are strictly between 0 and 1 at every extreme with B ≥ 1.
    for (const [cp, op] of [
      [0, INT_MAX],
      [INT_MAX, 0],
      [0, 0],
    ] as const) {
      const chance = challengerWinChance(cp, op, 1);
      expect(chance).toBeGreaterThan(0);
      expect(chance).toBeLessThan(1);
    }
    // Under the old rule the same fight was certain.
    expect(challengerWinChance(0, 573, 0)).toBe(0);
  });

  it('a battle fought now carries the configured B and verifies; an old one (B = 0) still verifies', async () => {
    const [a, b] = [await f.pilot(), await f.pilot()];
    const pending = await f.challenge(a, b, 100);
    expect(pending.baseStrength).toBe(50);
    const accepted = await f.post(b, `/battles/${pending.id}/accept`, { clientSeed: 'mine' });
    expect(accepted.status, accepted.text).toBe(200);
    const battle = accepted.body.battle as Battle;
    expect(battle.baseStrength).toBe(50);
    const verified = verifyBattle(battle);
    expect(verified.ok).toBe(true);
    if (verified.ok) expect(verified.challengerWinChance).toBeCloseTo(0.5, 12);
    await f.expectBooksBalanced();

    // A battle resolved before the rule: B = 0 as the migration left it, the winner by cp / (cp + op).
    const old: Battle = {
      ...battle,
      id: randomUUID(),
      baseStrength: 0,
      challengerPower: 0,
      opponentPower: 9,
    };
    old.seed = 'ab'.repeat(32);
    old.seedHash = seedHashOf(old.seed);
    old.winnerId = old.opponentId;
    expect(verifyBattle(old)).toMatchObject({ ok: true, challengerWinChance: 0 });
    // Read under today's B it would no longer be certain, and some seeds would name the other winner.
    expect(challengerWinChance(0, 9, 50)).toBeGreaterThan(0);
  });
});
