/**
 * Elo, as the server moves ratings when a battle is resolved (mg_battle_settle in
 * server/drizzle/0005_battles.sql): K = 32; the challenger's expected score is
 * E = 1 / (1 + 10^((opponentRating − challengerRating) / 400)); the winner gains round(K · (1 − its
 * expected score)) and the loser loses exactly as much, so the sum of ratings never changes. Rounding is
 * half away from zero, as Postgres' round(numeric); the change is never negative. A pure function, the same
 * in the server, its tests and the clients (server/test/elo.property.test.ts checks it against the SQL).
 */

/** How far one battle can move a rating. */
export const ELO_K = 32;

/** The challenger's expected score against the opponent, in (0, 1). */
export function expectedScore(challengerRating: number, opponentRating: number): number {
  return 1 / (1 + 10 ** ((opponentRating - challengerRating) / 400));
}

/**
 * The points the winner gains and the loser loses (the battle's `ratingChange`), 0..32: an upset pays
 * more than an expected win.
 */
export function eloChange(challengerRating: number, opponentRating: number, challengerWins: boolean): number {
  const expected = expectedScore(challengerRating, opponentRating);
  // Both products are ≥ 0, where Math.round (half up) is round half away from zero.
  return Math.round(ELO_K * (challengerWins ? 1 - expected : expected));
}
