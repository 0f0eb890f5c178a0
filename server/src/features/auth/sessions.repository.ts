/**
 * The two statements that open a session, each paying the login bonus with it (the player row locked, the
 * ledger row written with the balance change, as every money statement does): registration and login.
 * Hand-written CTEs as named prepared statements, one round trip each (see db/README.md).
 */
import type { Database } from '../../db/client';

/** A database that runs named prepared statements (all these need). */
type Queryable = Pick<Database, 'query'>;

export interface SessionPlayerRow {
  id: string;
  bonus: number;
}

/** A new player with its login bonus (ledger row) and first session, in one statement; null: name taken. */
export async function insertPlayerWithSession(
  database: Queryable,
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
  const [row] = await database.query<{ id: string; bonus: number | string }>({
    name: 'wallet_register',
    text: `
    WITH player AS (
      INSERT INTO players (nickname, nickname_key, nickname_skeleton, password_hash, balance, last_bonus_at)
      VALUES ($1, $2, $7, $3, $4::bigint, now())
      -- Either key taken (the same name, or one that looks like it): nobody is registered.
      ON CONFLICT DO NOTHING
      RETURNING id, balance
    ), bonus AS (
      INSERT INTO ledger (player_id, type, amount, balance_after)
      SELECT id, 'login_bonus', balance, balance FROM player WHERE balance > 0
    ), session AS (
      INSERT INTO sessions (token_hash, player_id, expires_at)
      SELECT $5, id, $6::timestamptz FROM player
    )
    SELECT id, balance AS bonus FROM player`,
    values: [
      input.nickname,
      input.nicknameKey,
      input.passwordHash,
      input.bonus,
      input.tokenHash,
      input.expiresAt.toISOString(),
      input.nicknameSkeleton,
    ],
  });
  return row ? { id: row.id, bonus: Number(row.bonus) } : null;
}

/**
 * Opens a session (null: the player is gone, banned or deleted) and credits the login bonus unless one was paid within the cooldown, or it would take
 * the balance past MAX_MONEY (then it is cut to what fits). Decided on the locked player row (the lock
 * every money move takes first), so two simultaneous logins cannot both slip under a cooldown. Without
 * a cooldown every login pays: the comparison with now() (the transaction's start) would otherwise
 * refuse a login that started just before a concurrent one committed.
 */
export async function openSessionWithBonus(
  database: Queryable,
  input: { playerId: string; bonus: number; cooldownSeconds: number; tokenHash: string; expiresAt: Date },
): Promise<SessionPlayerRow | null> {
  const [row] = await database.query<{ id: string; bonus: number | string }>({
    name: 'wallet_login',
    text: `
    WITH current AS (
      SELECT id, CASE
               WHEN $2::int = 0 OR last_bonus_at IS NULL
                    OR last_bonus_at <= now() - make_interval(secs => $2::int)
               THEN LEAST($3::bigint, 1000000000000000 - balance) ELSE 0::bigint END AS bonus
      FROM players WHERE id = $1
        -- A banned or deleted player gets no session, decided on the locked row: a ban committing while
        -- this waits for the lock is seen (and a ban waiting for this login revokes the session it opens).
        AND deleted_at IS NULL AND (banned_at IS NULL OR banned_until <= now())
      FOR NO KEY UPDATE
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
      SELECT $4, id, $5::timestamptz FROM player
    )
    SELECT id, bonus FROM player`,
    values: [
      input.playerId,
      input.cooldownSeconds,
      input.bonus,
      input.tokenHash,
      input.expiresAt.toISOString(),
    ],
  });
  return row ? { id: row.id, bonus: Number(row.bonus) } : null;
}
