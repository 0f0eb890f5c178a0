/**
 * SQL of accounts and sessions. The statements that open a session with its login bonus are the
 * wallet's (wallet.repository.ts), as every statement that moves money.
 */
import { sql } from 'drizzle-orm';
import { type Executor, rowsOf } from '../../db/client';

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

/**
 * Sets the skeletons of a page of players in one statement, each unless another player has it already (and
 * of two in the page with the same skeleton, the one with the lower id); answers how many were set. Throws
 * on a unique violation (a player registered, or another node set one, meanwhile): then go row by row.
 */
export async function setNicknameSkeletons(
  db: Executor,
  rows: readonly { id: string; skeleton: string }[],
): Promise<number> {
  const result = await db.execute(sql`
    WITH page AS (
      SELECT DISTINCT ON (skeleton) id, skeleton
      FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS v(id uuid, skeleton text)
      ORDER BY skeleton, id
    )
    UPDATE players p SET nickname_skeleton = page.skeleton FROM page
    WHERE p.id = page.id AND p.nickname_skeleton IS NULL
      AND NOT EXISTS (SELECT 1 FROM players q WHERE q.nickname_skeleton = page.skeleton)
    RETURNING p.id`);
  return rowsOf(result).length;
}

/** Sets a player's skeleton unless another player has it already; false when it was taken. */
export async function setNicknameSkeleton(db: Executor, id: string, skeleton: string): Promise<boolean> {
  const result = await db.execute(sql`
    UPDATE players SET nickname_skeleton = ${skeleton}
    WHERE id = ${id} AND NOT EXISTS (SELECT 1 FROM players WHERE nickname_skeleton = ${skeleton})
    RETURNING id`);
  return rowsOf(result).length > 0;
}
