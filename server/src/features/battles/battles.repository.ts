/**
 * Reads of battles and the leaderboard. Every write is a wallet move (features/wallet, 0005_battles.sql);
 * a battle is shown by the database's own mg_battle_json, so a read and a move's answer cannot differ.
 */
import type { Battle } from '@metagameplay/protocol';
import type { Database } from '../../db/client';

/** One battle as the API shows it, or null. */
export async function findBattle(database: Database, battleId: string): Promise<Battle | null> {
  const [row] = await database.query<{ battle: Battle }>({
    name: 'battles_find',
    text: 'SELECT mg_battle_json(b) AS battle FROM battles b WHERE id = $1',
    values: [battleId],
  });
  return row?.battle ?? null;
}

export interface BattleListRow {
  battle: Battle;
  /** created_at as ISO text (the cursor's first part; the battle's createdAt is the same instant). */
  at: string;
}

/**
 * A player's battles, newest first, after the keyset (createdAt, id) when given: the newest of each role
 * read by its own index, then merged.
 */
export async function listBattles(
  database: Database,
  playerId: string,
  after: readonly [string, string] | null,
  limit: number,
): Promise<BattleListRow[]> {
  const page = (role: 'challenger_id' | 'opponent_id') => `
    (SELECT * FROM battles WHERE ${role} = $1
       AND ($2::timestamptz IS NULL OR (created_at, id) < ($2::timestamptz, $3::uuid))
     ORDER BY created_at DESC, id DESC LIMIT $4)`;
  return database.query<BattleListRow>({
    name: 'battles_list',
    text: `SELECT mg_battle_json(b) AS battle, mg_iso(b.created_at) AS at
           FROM (${page('challenger_id')} UNION ALL ${page('opponent_id')}) b
           ORDER BY b.created_at DESC, b.id DESC LIMIT $4`,
    values: [playerId, after?.[0] ?? null, after?.[1] ?? null, limit],
  });
}

/** The pending battles a player is in (either side), oldest first: for `hello`. */
export async function pendingBattles(database: Database, playerId: string, limit: number): Promise<Battle[]> {
  const rows = await database.query<{ battle: Battle }>({
    name: 'battles_pending',
    text: `SELECT mg_battle_json(b) AS battle FROM battles b
           WHERE (challenger_id = $1 OR opponent_id = $1) AND status = 'pending' AND expires_at > now()
           ORDER BY created_at, id LIMIT $2`,
    values: [playerId, limit],
  });
  return rows.map((row) => row.battle);
}

export interface LeaderboardRow {
  rank: number | string;
  id: string;
  nickname: string;
  rating: number;
  power: number;
  wins: number;
  losses: number;
}

/**
 * Players by rating (highest first), then id; after the keyset (rating, id) when given. A row's rank is
 * its position in that order (1 + the players before it), so ranks are unique and stable across pages.
 */
export function leaderboard(
  database: Database,
  after: readonly [number, string] | null,
  limit: number,
): Promise<LeaderboardRow[]> {
  return database.query<LeaderboardRow>({
    name: 'battles_leaderboard',
    text: `
      WITH page AS (
        SELECT id, nickname, rating, wins, losses FROM players
        WHERE $1::int IS NULL OR rating < $1::int OR (rating = $1::int AND id > $2::uuid)
        ORDER BY rating DESC, id LIMIT $3
      ), before AS (
        SELECT count(*) AS n FROM players
        WHERE $1::int IS NOT NULL AND (rating > $1::int OR (rating = $1::int AND id <= $2::uuid))
      )
      SELECT before.n + row_number() OVER (ORDER BY p.rating DESC, p.id) AS rank,
             p.id, p.nickname, p.rating, mg_power(p.id) AS power, p.wins, p.losses
      FROM page p, before
      ORDER BY p.rating DESC, p.id`,
    values: [after?.[0] ?? null, after?.[1] ?? null, limit],
  });
}
