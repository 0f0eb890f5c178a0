/**
 * Elo in TypeScript (packages/protocol eloChange) against the rule the database applies when a battle is
 * resolved (mg_battle_settle, drizzle/0005_battles.sql): the same integers over every rating difference in
 * ±4,000 (the rule depends on the difference only) and thousands of random pairs with extremes, each set
 * computed by the database in one statement. The SQL run here is the function's own text: the first test
 * checks that mg_battle_settle, as installed, still holds these exact lines.
 */
import { eloChange } from '@metagameplay/protocol';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, startServer, type TestServer } from './helpers/server';

/** The lines of mg_battle_settle that move the ratings, as written there. */
const SQL_RULE = [
  'v_expected := 1 / (1 + power(10::numeric, (v_ro - v_rc)::numeric / 400));',
  'v_change := round(32 * (1 - v_expected));',
  'v_change := round(32 * v_expected);',
];

/** The same expressions over arrays: challenger rating, opponent rating, whether the challenger won. */
const SQL_CHANGES = `
  SELECT (CASE WHEN w THEN round(32 * (1 - e)) ELSE round(32 * e) END)::int AS change
  FROM (SELECT i, w, 1 / (1 + power(10::numeric, (v_ro - v_rc)::numeric / 400)) AS e
        FROM unnest($1::int[], $2::int[], $3::bool[]) WITH ORDINALITY AS t(v_rc, v_ro, w, i)) x
  ORDER BY i`;

type Pair = [challenger: number, opponent: number, challengerWins: boolean];

describe.each(backends)('Elo: SQL and TypeScript agree (%s)', (backend) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer(backend);
  });
  afterAll(async () => {
    await server?.close();
  });

  const sqlChanges = async (pairs: readonly Pair[]): Promise<number[]> => {
    const rows = await server.ctx.database.query<{ change: number }>({
      name: 'test_elo_changes',
      text: SQL_CHANGES,
      values: [pairs.map((p) => p[0]), pairs.map((p) => p[1]), pairs.map((p) => p[2])],
    });
    return rows.map((row) => row.change);
  };

  const expectSame = async (pairs: readonly Pair[]) => {
    const fromSql = await sqlChanges(pairs);
    const fromTs = pairs.map(([rc, ro, w]) => eloChange(rc, ro, w));
    const differing = pairs.filter((_, i) => fromSql[i] !== fromTs[i]);
    expect(differing, `first: ${JSON.stringify(differing[0])}`).toEqual([]);
    expect(fromSql).toHaveLength(pairs.length);
  };

  it('the rule run here is the one mg_battle_settle holds', async () => {
    const [row] = await server.ctx.database.query<{ src: string }>({
      name: 'test_elo_source',
      text: "SELECT prosrc AS src FROM pg_proc WHERE proname = 'mg_battle_settle'",
      values: [],
    });
    const source = (row?.src ?? '').replace(/\s+/g, ' ');
    for (const line of SQL_RULE) expect(source).toContain(line);
  });

  it('every rating difference in ±4,000, both outcomes', async () => {
    const pairs: Pair[] = [];
    for (let d = -4_000; d <= 4_000; d++) pairs.push([1_000, 1_000 + d, true], [1_000, 1_000 + d, false]);
    await expectSame(pairs);
    // Spot checks of the rule itself: equal ratings move 16; a 400-point favourite that wins gains 3.
    expect(eloChange(1_000, 1_000, true)).toBe(16);
    expect(eloChange(1_400, 1_000, true)).toBe(3);
    expect(eloChange(1_400, 1_000, false)).toBe(29);
  });

  it('random pairs, unequal and extreme ratings included', async () => {
    const rating = fc.oneof(
      fc.integer({ min: 0, max: 3_000 }),
      fc.integer({ min: -100_000, max: 100_000 }),
      fc.constantFrom(-100_000, -1, 0, 1, 1_000, 100_000),
    );
    const pair = fc.tuple(rating, rating, fc.boolean());
    await fc.assert(
      fc.asyncProperty(fc.array(pair, { minLength: 1, maxLength: 1_000 }), async (pairs) => {
        await expectSame(pairs);
      }),
      { numRuns: 10 },
    );
  });
});
