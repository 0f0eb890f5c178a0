/**
 * SQL of the wallet. The shop's money moves (purchase, sale, grant) are server-side functions
 * (drizzle/0004_wallet_moves.sql; purchase and sale as 0006_localized_moves.sql left them) called as named prepared statements: one round trip each, the
 * Idempotency-Key claimed, checked and stored inside the same statement. The login bonus is paid by the
 * statement that opens the session. Every statement writes its ledger row with the balance change, so
 * `balance = Σ ledger.amount` cannot break; every one locks the player row before any inventory row.
 */
import type { Battle } from '@metagameplay/protocol';
import type { Database } from '../../db/client';

/** What a wallet function answers: see drizzle/0004_wallet_moves.sql. */
export interface MoveRow {
  o_kind: 'done' | 'replay' | 'reused';
  o_status: number;
  o_outcome: string;
}

/** What a battle move answers besides (drizzle/0005_battles.sql): the battle after it, the balances it moved. */
export interface BattleMoveRow extends MoveRow {
  o_battle: Battle | null;
  o_balances: Record<string, number | string> | null;
  /** A challenge only: an overdue, unswept challenge to the same opponent that it expired first. */
  o_expired?: Battle | null;
}

async function move<R extends MoveRow = MoveRow>(
  database: Database,
  name: string,
  text: string,
  values: unknown[],
): Promise<R> {
  const [row] = await database.query<R>({ name, text, values });
  if (!row) throw new Error(`${name} returned no row`);
  return row;
}

export interface KeyArgs {
  key: string | null;
  fingerprint: string;
}

export function purchase(
  database: Database,
  args: {
    playerId: string;
    itemId: number;
    expectedPrice: number | null;
    sellPercent: number;
    language: string;
  } & KeyArgs,
): Promise<MoveRow> {
  return move(
    database,
    'wallet_purchase',
    'SELECT o_kind, o_status, o_outcome FROM mg_purchase($1, $2, $3, $4, $5, $6, $7)',
    [
      args.playerId,
      args.itemId,
      args.expectedPrice,
      args.sellPercent,
      args.key,
      args.fingerprint,
      args.language,
    ],
  );
}

export function sale(
  database: Database,
  args: { playerId: string; itemId: number; sellPercent: number; language: string } & KeyArgs,
): Promise<MoveRow> {
  return move(
    database,
    'wallet_sale',
    'SELECT o_kind, o_status, o_outcome FROM mg_sale($1, $2, $3, $4, $5, $6)',
    [args.playerId, args.itemId, args.sellPercent, args.key, args.fingerprint, args.language],
  );
}

export function grant(
  database: Database,
  args: { actorId: string; playerId: string; amount: number; reason: string } & KeyArgs,
): Promise<MoveRow> {
  return move(
    database,
    'wallet_grant',
    'SELECT o_kind, o_status, o_outcome FROM mg_grant($1, $2, $3, $4, $5, $6)',
    [args.actorId, args.playerId, args.amount, args.reason, args.key, args.fingerprint],
  );
}

export function battleChallenge(
  database: Database,
  args: {
    challengerId: string;
    opponentId: string;
    stake: number;
    clientSeed: string | null;
    seed: string;
    opponentOnline: boolean;
    ttlSeconds: number;
    maxPending: number;
  } & KeyArgs,
): Promise<BattleMoveRow> {
  return move(
    database,
    'wallet_battle_challenge',
    `SELECT o_kind, o_status, o_outcome, o_battle, o_balances, o_expired
     FROM mg_battle_challenge($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
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
    ],
  );
}

export function battleAccept(
  database: Database,
  args: { battleId: string; playerId: string; clientSeed: string | null } & KeyArgs,
): Promise<BattleMoveRow> {
  return move(
    database,
    'wallet_battle_accept',
    'SELECT o_kind, o_status, o_outcome, o_battle, o_balances FROM mg_battle_accept($1, $2, $3, $4, $5)',
    [args.battleId, args.playerId, args.clientSeed, args.key, args.fingerprint],
  );
}

export function battleEnd(
  database: Database,
  args: { battleId: string; playerId: string; action: 'decline' | 'cancel' } & KeyArgs,
): Promise<BattleMoveRow> {
  return move(
    database,
    'wallet_battle_end',
    'SELECT o_kind, o_status, o_outcome, o_battle, o_balances FROM mg_battle_end($1, $2, $3, $4, $5)',
    [args.battleId, args.playerId, args.action, args.key, args.fingerprint],
  );
}

/** Quick match: a battle held and resolved at once; no Idempotency-Key (the server starts it). */
export function battleMatch(
  database: Database,
  args: { challengerId: string; opponentId: string; stake: number; seed: string },
): Promise<BattleMoveRow> {
  return move(
    database,
    'wallet_battle_match',
    `SELECT 'done' AS o_kind, o_status, o_outcome, o_battle, o_balances
     FROM mg_battle_match($1, $2, $3, $4)`,
    [args.challengerId, args.opponentId, args.stake, args.seed],
  );
}

/** Expires and refunds up to `limit` overdue challenges (rows other nodes hold are skipped). */
export async function expireDueBattles(
  database: Database,
  limit: number,
): Promise<Pick<BattleMoveRow, 'o_battle' | 'o_balances'>[]> {
  return database.query({
    name: 'wallet_battle_expire',
    text: 'SELECT o_battle, o_balances FROM mg_battle_expire_due($1)',
    values: [limit],
  });
}

export interface SessionPlayerRow {
  id: string;
  bonus: number;
}

/** A new player with its login bonus (ledger row) and first session, in one statement; null: name taken. */
export async function insertPlayerWithSession(
  database: Database,
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
 * Opens a session and credits the login bonus unless one was paid within the cooldown, or it would take
 * the balance past MAX_MONEY (then it is cut to what fits). Decided on the locked player row (the lock
 * every money move takes first), so two simultaneous logins cannot both slip under a cooldown. Without
 * a cooldown every login pays: the comparison with now() (the transaction's start) would otherwise
 * refuse a login that started just before a concurrent one committed.
 */
export async function openSessionWithBonus(
  database: Database,
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
      FROM players WHERE id = $1 FOR NO KEY UPDATE
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

/** Keys are kept this long (the API promises at least 24 h). */
export const IDEMPOTENCY_RETENTION_HOURS = 48;

export async function deleteExpiredIdempotencyKeys(database: Database): Promise<void> {
  await database.query({
    name: 'wallet_expire_keys',
    text: 'DELETE FROM idempotency_keys WHERE created_at < now() - make_interval(hours => $1)',
    values: [IDEMPOTENCY_RETENTION_HOURS],
  });
}
