/**
 * The wallet: every statement that changes a balance lives here, and each one writes its ledger row in
 * the same statement, so `balance = Σ ledger.amount` cannot break. Each is a single conditional statement
 * (atomic on its own, or inside the caller's transaction): the UPDATE of the player row takes its row
 * lock, so concurrent moves of one player serialize there and re-check `balance >= price` on the latest
 * row instead of double-spending. Lock order is always player row first, then inventory/ledger.
 */
import { sql } from 'drizzle-orm';
import { type Executor, rowsOf } from '../../db/client';
import type { ItemRow } from '../shop/shop.repository';

export type LedgerType =
  | 'login_bonus'
  | 'purchase'
  | 'sale'
  | 'battle_stake'
  | 'battle_payout'
  | 'battle_refund'
  | 'admin_grant';

export interface LedgerMove {
  playerId: string;
  type: LedgerType;
  /** Signed minor units; a debit that would make the balance negative is refused (returns null). */
  amount: number;
  itemId?: number | null;
  battleId?: string | null;
  note?: string | null;
}

/** Credits or debits one player and writes the ledger row. Null: no such player, or not enough funds. */
export async function applyLedgerMove(
  db: Executor,
  move: LedgerMove,
): Promise<{ balance: number; transactionId: string } | null> {
  const result = await db.execute(sql`
    WITH moved AS (
      UPDATE players SET balance = balance + ${move.amount}::bigint, updated_at = now()
      WHERE id = ${move.playerId} AND balance + ${move.amount}::bigint >= 0
      RETURNING balance
    )
    INSERT INTO ledger (player_id, type, amount, balance_after, item_id, battle_id, note)
    SELECT ${move.playerId}, ${move.type}, ${move.amount}::bigint, balance, ${move.itemId ?? null}::int,
           ${move.battleId ?? null}::uuid, ${move.note ?? null}
    FROM moved
    RETURNING id::text AS transaction_id, balance_after
  `);
  const row = rowsOf<{ transaction_id: string; balance_after: number | string }>(result)[0];
  return row ? { balance: Number(row.balance_after), transactionId: row.transaction_id } : null;
}

/** The item columns of a purchase or sale outcome row: all null when no such item exists. */
interface OutcomeItemColumns {
  id: number | null;
  name: string | null;
  price: number | string | null;
  power: number | null;
}

function itemOf(row: OutcomeItemColumns): ItemRow | null {
  return row.id === null
    ? null
    : { id: row.id, name: row.name ?? '', price: Number(row.price), power: row.power ?? 0 };
}

export interface PurchaseOutcome {
  item: ItemRow | null;
  owned: boolean;
  balanceBefore: number;
  balanceAfter: number | null;
  transactionId: string | null;
  acquiredAt: Date | null;
}

/**
 * One purchase in one statement: reads the item, checks ownership, debits only if the balance covers the
 * price (and equals expectedPrice when given), writes the inventory and ledger rows. A second buy of the
 * same item racing this one fails on the inventory primary key (23505); the service retries it, and the
 * retry sees the item owned.
 */
export async function purchase(
  db: Executor,
  playerId: string,
  itemId: number,
  expectedPrice: number | null,
): Promise<PurchaseOutcome> {
  const result = await db.execute(sql`
    WITH item AS (
      SELECT id, name, price, power FROM items WHERE id = ${itemId} AND active
    ), owned AS (
      SELECT 1 FROM inventory WHERE player_id = ${playerId} AND item_id = ${itemId}
    ), debit AS (
      UPDATE players p SET balance = p.balance - item.price, updated_at = now()
      FROM item
      WHERE p.id = ${playerId}
        AND p.balance >= item.price
        AND NOT EXISTS (SELECT 1 FROM owned)
        AND (${expectedPrice}::bigint IS NULL OR item.price = ${expectedPrice}::bigint)
      RETURNING p.balance, item.price
    ), inv AS (
      INSERT INTO inventory (player_id, item_id) SELECT ${playerId}, ${itemId} FROM debit RETURNING acquired_at
    ), led AS (
      INSERT INTO ledger (player_id, type, amount, balance_after, item_id)
      SELECT ${playerId}, 'purchase', -debit.price, debit.balance, ${itemId} FROM debit RETURNING id
    )
    SELECT item.id, item.name, item.price, item.power,
           EXISTS (SELECT 1 FROM owned) AS owned,
           (SELECT balance FROM players WHERE id = ${playerId}) AS balance_before,
           debit.balance AS balance_after, led.id::text AS transaction_id, inv.acquired_at
    FROM (SELECT 1) AS one
    LEFT JOIN item ON true LEFT JOIN debit ON true LEFT JOIN led ON true LEFT JOIN inv ON true
  `);
  const row = rowsOf<
    OutcomeItemColumns & {
      owned: boolean;
      balance_before: number | string | null;
      balance_after: number | string | null;
      transaction_id: string | null;
      acquired_at: Date | string | null;
    }
  >(result)[0];
  if (!row) throw new Error('purchase statement returned no row');
  return {
    item: itemOf(row),
    owned: row.owned,
    balanceBefore: Number(row.balance_before ?? 0),
    balanceAfter: row.balance_after === null ? null : Number(row.balance_after),
    transactionId: row.transaction_id,
    acquiredAt: row.acquired_at === null ? null : new Date(row.acquired_at),
  };
}

export interface SaleOutcome {
  item: ItemRow | null;
  balanceAfter: number | null;
  amount: number | null;
  transactionId: string | null;
}

/**
 * One sale in one statement: removes the inventory row and pays `price × percent / 100` (rounded down).
 * Of two concurrent sales, the second waits on the inventory row, finds it gone and pays nothing.
 * Retired items can still be sold.
 */
export async function sale(
  db: Executor,
  playerId: string,
  itemId: number,
  percent: number,
): Promise<SaleOutcome> {
  const result = await db.execute(sql`
    WITH item AS (
      SELECT id, name, price, power FROM items WHERE id = ${itemId}
    ), removed AS (
      DELETE FROM inventory WHERE player_id = ${playerId} AND item_id = ${itemId} RETURNING item_id
    ), credit AS (
      UPDATE players p SET balance = p.balance + (item.price * ${percent}::int / 100), updated_at = now()
      FROM item, removed
      WHERE p.id = ${playerId}
      RETURNING p.balance, item.price * ${percent}::int / 100 AS amount
    ), led AS (
      INSERT INTO ledger (player_id, type, amount, balance_after, item_id)
      SELECT ${playerId}, 'sale', credit.amount, credit.balance, ${itemId} FROM credit RETURNING id
    )
    SELECT item.id, item.name, item.price, item.power, credit.balance AS balance_after, credit.amount,
           led.id::text AS transaction_id
    FROM (SELECT 1) AS one LEFT JOIN item ON true LEFT JOIN credit ON true LEFT JOIN led ON true
  `);
  const row = rowsOf<
    OutcomeItemColumns & {
      balance_after: number | string | null;
      amount: number | string | null;
      transaction_id: string | null;
    }
  >(result)[0];
  if (!row) throw new Error('sale statement returned no row');
  return {
    item: itemOf(row),
    balanceAfter: row.balance_after === null ? null : Number(row.balance_after),
    amount: row.amount === null ? null : Number(row.amount),
    transactionId: row.transaction_id,
  };
}
