/**
 * SQL of accounts and sessions. Registration and login are each one statement that also credits the
 * login bonus (with its ledger row) and opens the session, so a bonus is never paid without a session
 * and never twice for one login.
 */
import { sql } from 'drizzle-orm';
import { type Executor, rowsOf } from '../../db/client';

export interface SessionPlayerRow {
  id: string;
  bonus: number;
}

export async function insertPlayerWithSession(
  db: Executor,
  input: {
    nickname: string;
    nicknameKey: string;
    nicknameSkeleton: string;
    passwordHash: string;
    bonus: number;
    tokenHash: string;
    expiresAt: Date;
  },
): Promise<SessionPlayerRow | null> {
  const result = await db.execute(sql`
    WITH player AS (
      INSERT INTO players (nickname, nickname_key, nickname_skeleton, password_hash, balance, last_bonus_at)
      VALUES (${input.nickname}, ${input.nicknameKey}, ${input.nicknameSkeleton}, ${input.passwordHash},
              ${input.bonus}::bigint, now())
      -- Either key taken (the same name, or one that looks like it): nobody is registered.
      ON CONFLICT DO NOTHING
      RETURNING id, balance
    ), bonus AS (
      INSERT INTO ledger (player_id, type, amount, balance_after)
      SELECT id, 'login_bonus', balance, balance FROM player WHERE balance > 0
    ), session AS (
      INSERT INTO sessions (token_hash, player_id, expires_at)
      SELECT ${input.tokenHash}, id, ${input.expiresAt.toISOString()}::timestamptz FROM player
    )
    SELECT id, balance AS bonus FROM player
  `);
  const row = rowsOf<{ id: string; bonus: number | string }>(result)[0];
  return row ? { id: row.id, bonus: Number(row.bonus) } : null;
}

/**
 * Opens a session and credits the login bonus unless one was paid within the cooldown. The bonus is
 * decided on the locked player row, so two simultaneous logins cannot both slip under a cooldown.
 * Without a cooldown every login pays: the comparison with now() (the transaction's start) would
 * otherwise refuse a login that started just before a concurrent one committed.
 */
export async function openSessionWithBonus(
  db: Executor,
  input: { playerId: string; bonus: number; cooldownSeconds: number; tokenHash: string; expiresAt: Date },
): Promise<SessionPlayerRow | null> {
  const result = await db.execute(sql`
    WITH current AS (
      SELECT id, CASE
               WHEN ${input.cooldownSeconds}::int = 0 OR last_bonus_at IS NULL
                    OR last_bonus_at <= now() - make_interval(secs => ${input.cooldownSeconds}::int)
               THEN ${input.bonus}::bigint ELSE 0::bigint END AS bonus
      FROM players WHERE id = ${input.playerId} FOR UPDATE
    ), player AS (
      UPDATE players p SET balance = p.balance + current.bonus,
             last_bonus_at = CASE WHEN current.bonus > 0 THEN now() ELSE p.last_bonus_at END,
             updated_at = now()
      FROM current WHERE p.id = current.id
      RETURNING p.id, p.balance, current.bonus
    ), ledger_row AS (
      INSERT INTO ledger (player_id, type, amount, balance_after)
      SELECT id, 'login_bonus', bonus, balance FROM player WHERE bonus > 0
    ), session AS (
      INSERT INTO sessions (token_hash, player_id, expires_at)
      SELECT ${input.tokenHash}, id, ${input.expiresAt.toISOString()}::timestamptz FROM player
    )
    SELECT id, bonus FROM player
  `);
  const row = rowsOf<{ id: string; bonus: number | string }>(result)[0];
  return row ? { id: row.id, bonus: Number(row.bonus) } : null;
}

export async function findCredentials(
  db: Executor,
  nicknameKey: string,
): Promise<{ id: string; passwordHash: string } | null> {
  const result = await db.execute(
    sql`SELECT id, password_hash FROM players WHERE nickname_key = ${nicknameKey}`,
  );
  const row = rowsOf<{ id: string; password_hash: string }>(result)[0];
  return row ? { id: row.id, passwordHash: row.password_hash } : null;
}

export interface SessionRow {
  playerId: string;
  expiresAt: Date;
}

export async function findLiveSession(db: Executor, tokenHash: string): Promise<SessionRow | null> {
  const result = await db.execute(sql`
    SELECT player_id, expires_at FROM sessions
    WHERE token_hash = ${tokenHash} AND revoked_at IS NULL AND expires_at > now()
  `);
  const row = rowsOf<{ player_id: string; expires_at: string | Date }>(result)[0];
  return row ? { playerId: row.player_id, expiresAt: new Date(row.expires_at) } : null;
}

export async function revokeSession(db: Executor, tokenHash: string): Promise<void> {
  await db.execute(
    sql`UPDATE sessions SET revoked_at = now() WHERE token_hash = ${tokenHash} AND revoked_at IS NULL`,
  );
}

export async function deleteDeadSessions(db: Executor): Promise<void> {
  await db.execute(sql`DELETE FROM sessions WHERE expires_at < now() - interval '1 day'
                       OR revoked_at < now() - interval '1 day'`);
}

/** A page of players registered before nickname skeletons existed, by id. */
export async function findPlayersWithoutSkeleton(
  db: Executor,
  afterId: string | null,
  limit: number,
): Promise<{ id: string; nickname: string }[]> {
  return rowsOf<{ id: string; nickname: string }>(
    await db.execute(sql`
      SELECT id, nickname FROM players
      WHERE nickname_skeleton IS NULL AND (${afterId}::uuid IS NULL OR id > ${afterId}::uuid)
      ORDER BY id LIMIT ${limit}`),
  );
}

/** Sets a player's skeleton unless another player has it already; false when it was taken. */
export async function setNicknameSkeleton(db: Executor, id: string, skeleton: string): Promise<boolean> {
  const result = await db.execute(sql`
    UPDATE players SET nickname_skeleton = ${skeleton}
    WHERE id = ${id} AND NOT EXISTS (SELECT 1 FROM players WHERE nickname_skeleton = ${skeleton})
    RETURNING id`);
  return rowsOf(result).length > 0;
}
