/**
 * SQL of the wallet. The shop's money moves (purchase, sale, grant) are server-side functions
 * (drizzle/0004_wallet_moves.sql; purchase and sale as 0006_localized_moves.sql left them) called as named
 * prepared statements: one round trip each, the Idempotency-Key claimed, checked and stored inside the same
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
export async function callMoneyFunction<R extends MoveRow = MoveRow>(
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

export function purchase(
  database: Queryable,
  args: {
    playerId: string;
    itemId: number;
    expectedPrice: number | null;
    sellPercent: number;
    language: string;
  } & KeyArgs,
): Promise<MoveRow> {
  return callMoneyFunction(
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
  database: Queryable,
  args: { playerId: string; itemId: number; sellPercent: number; language: string } & KeyArgs,
): Promise<MoveRow> {
  return callMoneyFunction(
    database,
    'wallet_sale',
    'SELECT o_kind, o_status, o_outcome FROM mg_sale($1, $2, $3, $4, $5, $6)',
    [args.playerId, args.itemId, args.sellPercent, args.key, args.fingerprint, args.language],
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

/** Keys are kept this long (the API promises at least 24 h). */
export const IDEMPOTENCY_RETENTION_HOURS = 48;

export async function deleteExpiredIdempotencyKeys(db: Executor): Promise<void> {
  await db
    .delete(idempotencyKeys)
    .where(
      lt(idempotencyKeys.createdAt, sql`now() - make_interval(hours => ${IDEMPOTENCY_RETENTION_HOURS})`),
    );
}
