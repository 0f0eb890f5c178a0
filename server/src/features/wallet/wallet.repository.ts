/**
 * SQL of the wallet. The shop's money moves (buy, sell) and the admin's (grant, deduct) are server-side functions
 * (sql/functions/mg_shop_buy.sql, mg_shop_sell.sql, mg_grant.sql, mg_deduct.sql) called as named prepared statements: one round trip each, the Idempotency-Key claimed, checked and stored inside the same
 * statement. Every function writes its ledger row with the balance change, so `balance = Σ ledger.amount`
 * cannot break; every one locks the player row before any inventory row.
 */
import { lt, sql } from 'drizzle-orm';
import type { Database, Executor } from '../../db/client';
import { idempotencyKeys } from '../../db/schema';

/** A database that runs named prepared statements (all these need). */
type Queryable = Pick<Database, 'query'>;

/** What a wallet function answers: see drizzle/0004_wallet_moves.sql. */
export interface MoveRow {
  o_kind: 'done' | 'replay' | 'reused';
  o_status: number;
  o_outcome: string;
}

/**
 * Calls one money function (a named prepared statement: parsed and planned once per connection) and
 * answers its one row. Other features' money moves (battles) call theirs through this too.
 */
export async function callMoneyFunction<R extends { o_kind: MoveRow['o_kind'] } = MoveRow>(
  database: Queryable,
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

/**
 * What the shop's moves answer (sql/functions/mg_shop_buy.sql, mg_shop_sell.sql): the values of the rows
 * they locked and wrote, which move-answer.ts renders; on a replay, `o_stored` (the values stored under
 * the key). Item names are the node's (ItemNames), passed in only to be stored under a key.
 */
export interface ShopMoveRow {
  o_kind: MoveRow['o_kind'];
  o_status: number | null;
  o_code: string | null;
  o_balance: number | null;
  o_price: number | null;
  o_power: number | null;
  /** The purchase's acquiredAt. */
  o_at?: Date | null;
  /** What a sale paid. */
  o_amount?: number | null;
  o_tx: number | null;
  o_stored: string | null;
}

export function buy(
  database: Queryable,
  args: {
    playerId: string;
    itemId: number;
    expectedPrice: number | null;
    sellPercent: number;
    /** The item's name in the player's language, stored with the answer under a key. */
    name: string | null;
  } & KeyArgs,
): Promise<ShopMoveRow> {
  return callMoneyFunction<ShopMoveRow>(
    database,
    'wallet_buy',
    'SELECT o_kind, o_status, o_code, o_balance, o_price, o_power, o_at, o_tx, o_stored ' +
      'FROM mg_shop_buy($1, $2, $3, $4, $5, $6, $7)',
    [args.playerId, args.itemId, args.expectedPrice, args.sellPercent, args.key, args.fingerprint, args.name],
  );
}

export function sell(
  database: Queryable,
  args: { playerId: string; itemId: number; sellPercent: number; name: string | null } & KeyArgs,
): Promise<ShopMoveRow> {
  return callMoneyFunction<ShopMoveRow>(
    database,
    'wallet_sell',
    'SELECT o_kind, o_status, o_code, o_balance, o_price, o_power, o_amount, o_tx, o_stored ' +
      'FROM mg_shop_sell($1, $2, $3, $4, $5, $6)',
    [args.playerId, args.itemId, args.sellPercent, args.key, args.fingerprint, args.name],
  );
}

export function grant(
  database: Queryable,
  args: { actorId: string; playerId: string; amount: number; reason: string } & KeyArgs,
): Promise<MoveRow> {
  return callMoneyFunction(
    database,
    'wallet_grant',
    'SELECT o_kind, o_status, o_outcome FROM mg_grant($1, $2, $3, $4, $5, $6)',
    [args.actorId, args.playerId, args.amount, args.reason, args.key, args.fingerprint],
  );
}

export function deduct(
  database: Queryable,
  args: { actorId: string; playerId: string; amount: number; reason: string } & KeyArgs,
): Promise<MoveRow> {
  return callMoneyFunction(
    database,
    'wallet_deduct',
    'SELECT o_kind, o_status, o_outcome FROM mg_deduct($1, $2, $3, $4, $5, $6)',
    [args.actorId, args.playerId, args.amount, args.reason, args.key, args.fingerprint],
  );
}

/** Keys are kept this long (the API promises at least 24 h). */
export const IDEMPOTENCY_RETENTION_HOURS = 48;

export async function deleteExpiredIdempotencyKeys(db: Executor): Promise<void> {
  await db
    .delete(idempotencyKeys)
    .where(
      lt(idempotencyKeys.createdAt, sql`now() - make_interval(hours => ${IDEMPOTENCY_RETENTION_HOURS})`),
    );
}
