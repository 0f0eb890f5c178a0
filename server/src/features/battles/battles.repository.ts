/**
 * SQL of battles. The moves (challenge, accept, decline/cancel, quick match, expiry) are the money functions
 * of drizzle/0005_battles.sql (as 0006 left them), called as named prepared statements through the wallet's
 * callMoneyFunction: one round trip each, the battle row and both players locked in a fixed order, the
 * Idempotency-Key claimed inside. Reads show a battle by the database's own mg_battle_json, so a read and a
 * move's answer cannot differ.
 */
import { type Battle, DEFAULT_BATTLE_BASE_STRENGTH } from '@metagameplay/protocol';
import type { Database } from '../../db/client';

/** A database that runs named prepared statements (all these need). */
type Queryable = Pick<Database, 'query'>;
import { callMoneyFunction, type KeyArgs, type MoveRow } from '../wallet/wallet.repository';

/** What a battle move answers besides (drizzle/0005_battles.sql): the battle after it, the balances it moved. */
export interface BattleMoveRow extends MoveRow {
  o_battle: Battle | null;
  o_balances: Record<string, number | string> | null;
  /** A challenge only: an overdue, unswept challenge to the same opponent that it expired first. */
  o_expired?: Battle | null;
}

export function battleChallenge(
  database: Queryable,
  args: {
    challengerId: string;
    opponentId: string;
    stake: number;
    clientSeed: string | null;
    seed: string;
    opponentOnline: boolean;
    ttlSeconds: number;
    maxPending: number;
    /** B of the new battle; BATTLE_BASE_STRENGTH's default when not given (tools without a config). */
    baseStrength?: number;
  } & KeyArgs,
): Promise<BattleMoveRow> {
  return callMoneyFunction(
    database,
    'battles_challenge',
    `SELECT o_kind, o_status, o_outcome, o_battle, o_balances, o_expired
     FROM mg_battle_challenge($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [
      args.challengerId,
      args.opponentId,
      args.stake,
      args.clientSeed,
      args.seed,
      args.opponentOnline,
      args.ttlSeconds,
      args.maxPending,
      args.key,
      args.fingerprint,
      args.baseStrength ?? DEFAULT_BATTLE_BASE_STRENGTH,
    ],
  );
}

export function battleAccept(
  database: Queryable,
  args: { battleId: string; playerId: string; clientSeed: string | null } & KeyArgs,
): Promise<BattleMoveRow> {
  return callMoneyFunction(
    database,
    'battles_accept',
    'SELECT o_kind, o_status, o_outcome, o_battle, o_balances FROM mg_battle_accept($1, $2, $3, $4, $5)',
    [args.battleId, args.playerId, args.clientSeed, args.key, args.fingerprint],
  );
}

export function battleEnd(
  database: Queryable,
  args: { battleId: string; playerId: string; action: 'decline' | 'cancel' } & KeyArgs,
): Promise<BattleMoveRow> {
  return callMoneyFunction(
    database,
    'battles_end',
    'SELECT o_kind, o_status, o_outcome, o_battle, o_balances FROM mg_battle_end($1, $2, $3, $4, $5)',
    [args.battleId, args.playerId, args.action, args.key, args.fingerprint],
  );
}

/** Quick match: a battle held and resolved at once; no Idempotency-Key (the server starts it). */
export function battleMatch(
  database: Queryable,
  args: { challengerId: string; opponentId: string; stake: number; seed: string; baseStrength: number },
): Promise<BattleMoveRow> {
  return callMoneyFunction(
    database,
    'battles_match',
    `SELECT 'done' AS o_kind, o_status, o_outcome, o_battle, o_balances
     FROM mg_battle_match($1, $2, $3, $4, $5)`,
    [args.challengerId, args.opponentId, args.stake, args.seed, args.baseStrength],
  );
}

/** Expires and refunds up to `limit` overdue challenges (rows other nodes hold are skipped). */
export async function expireDueBattles(
  database: Queryable,
  limit: number,
): Promise<Pick<BattleMoveRow, 'o_battle' | 'o_balances'>[]> {
  return database.query({
    name: 'battles_expire',
    text: 'SELECT o_battle, o_balances FROM mg_battle_expire_due($1)',
    values: [limit],
  });
}

/** One battle as the API shows it, or null. */
export async function findBattle(database: Queryable, battleId: string): Promise<Battle | null> {
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
  database: Queryable,
  playerId: string,
  after: readonly [string, string] | null,
  limit: number,
): Promise<BattleListRow[]> {
  // Two statements rather than one with `$2 IS NULL OR …`, so each plan seeks its index range.
  const page = (role: 'challenger_id' | 'opponent_id') => `
    (SELECT * FROM battles WHERE ${role} = $1${after ? ' AND (created_at, id) < ($3::timestamptz, $4::uuid)' : ''}
     ORDER BY created_at DESC, id DESC LIMIT $2)`;
  return database.query<BattleListRow>({
    name: after ? 'battles_list_after' : 'battles_list',
    text: `SELECT mg_battle_json(b) AS battle, mg_iso(b.created_at) AS at
           FROM (${page('challenger_id')} UNION ALL ${page('opponent_id')}) b
           ORDER BY b.created_at DESC, b.id DESC LIMIT $2`,
    values: after ? [playerId, limit, after[0], after[1]] : [playerId, limit],
  });
}

/** The pending battles a player is in (either side), oldest first: for `hello`. */
export async function pendingBattles(
  database: Queryable,
  playerId: string,
  limit: number,
): Promise<Battle[]> {
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
  database: Queryable,
  after: readonly [number, string] | null,
  limit: number,
): Promise<LeaderboardRow[]> {
  const columns = 'p.id, p.nickname, p.rating, mg_power(p.id) AS power, p.wins, p.losses';
  if (!after) {
    return database.query<LeaderboardRow>({
      name: 'battles_leaderboard',
      text: `SELECT row_number() OVER (ORDER BY p.rating DESC, p.id) AS rank, ${columns}
             FROM (SELECT * FROM players ORDER BY rating DESC, id LIMIT $1) p
             ORDER BY p.rating DESC, p.id`,
      values: [limit],
    });
  }
  // After (rating, id) in the order (rating desc, id): the rest of that rating, then the lower ratings;
  // each part is one range of players_rating_idx.
  return database.query<LeaderboardRow>({
    name: 'battles_leaderboard_after',
    text: `
      WITH page AS (
        SELECT * FROM (
          (SELECT * FROM players WHERE rating = $1 AND id > $2 ORDER BY id LIMIT $3)
          UNION ALL
          (SELECT * FROM players WHERE rating < $1 ORDER BY rating DESC, id LIMIT $3)
        ) u ORDER BY rating DESC, id LIMIT $3
      ), before AS (
        SELECT count(*) AS n FROM players WHERE rating > $1 OR (rating = $1 AND id <= $2)
      )
      SELECT before.n + row_number() OVER (ORDER BY p.rating DESC, p.id) AS rank, ${columns}
      FROM page p, before
      ORDER BY p.rating DESC, p.id`,
    values: [after[0], after[1], limit],
  });
}
