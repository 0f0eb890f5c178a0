/**
 * SQL of accounts and sessions (db/README.md: the builder where it serves, `sql` only for the page update
 * of skeletons). The statements that open a session with its login bonus move money: sessions.repository.ts.
 */
import { and, asc, eq, gt, isNull, lt, notExists, or, sql } from 'drizzle-orm';
import { type Executor, rowsOf } from '../../db/client';
import { players, sessions } from '../../db/schema';

export interface CredentialsRow {
  id: string;
  passwordHash: string;
  bannedAt: Date | null;
  bannedUntil: Date | null;
  banReason: string | null;
  deletedAt: Date | null;
}

export async function findCredentials(db: Executor, nicknameKey: string): Promise<CredentialsRow | null> {
  const [row] = await db
    .select({
      id: players.id,
      passwordHash: players.passwordHash,
      bannedAt: players.bannedAt,
      bannedUntil: players.bannedUntil,
      banReason: players.banReason,
      deletedAt: players.deletedAt,
    })
    .from(players)
    .where(eq(players.nicknameKey, nicknameKey));
  return row ?? null;
}

/** A player's ban columns (login reads them again when its session statement found the player banned). */
export async function findBan(
  db: Executor,
  playerId: string,
): Promise<Pick<CredentialsRow, 'bannedAt' | 'bannedUntil' | 'banReason' | 'deletedAt'> | null> {
  const [row] = await db
    .select({
      bannedAt: players.bannedAt,
      bannedUntil: players.bannedUntil,
      banReason: players.banReason,
      deletedAt: players.deletedAt,
    })
    .from(players)
    .where(eq(players.id, playerId));
  return row ?? null;
}

export interface SessionRow {
  playerId: string;
  expiresAt: Date;
}

export async function findLiveSession(db: Executor, tokenHash: string): Promise<SessionRow | null> {
  const [row] = await db
    .select({ playerId: sessions.playerId, expiresAt: sessions.expiresAt })
    .from(sessions)
    .where(
      and(eq(sessions.tokenHash, tokenHash), isNull(sessions.revokedAt), gt(sessions.expiresAt, sql`now()`)),
    );
  return row ?? null;
}

export async function revokeSession(db: Executor, tokenHash: string): Promise<void> {
  await db
    .update(sessions)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(sessions.tokenHash, tokenHash), isNull(sessions.revokedAt)));
}

export async function deleteDeadSessions(db: Executor): Promise<void> {
  const dayAgo = sql`now() - interval '1 day'`;
  await db.delete(sessions).where(or(lt(sessions.expiresAt, dayAgo), lt(sessions.revokedAt, dayAgo)));
}

/** A page of players registered before nickname skeletons existed, by id. */
export async function findPlayersWithoutSkeleton(
  db: Executor,
  afterId: string | null,
  limit: number,
): Promise<{ id: string; nickname: string }[]> {
  return db
    .select({ id: players.id, nickname: players.nickname })
    .from(players)
    .where(and(isNull(players.nicknameSkeleton), afterId === null ? undefined : gt(players.id, afterId)))
    .orderBy(asc(players.id))
    .limit(limit);
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
  const taken = db.select({ one: sql`1` }).from(players).where(eq(players.nicknameSkeleton, skeleton));
  const set = await db
    .update(players)
    .set({ nicknameSkeleton: skeleton })
    .where(and(eq(players.id, id), notExists(taken)))
    .returning({ id: players.id });
  return set.length > 0;
}
