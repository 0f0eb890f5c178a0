/**
 * SQL of player reads: profiles, balance, inventory and ledger pages (keyset, index-backed). Single-table
 * reads and writes by the builder; the joins with aggregates and language fallbacks as `sql` (db/README.md).
 */
import type { LedgerType, PlayerRole } from '@metagameplay/protocol';
import { eq, sql } from 'drizzle-orm';
import { type Database, type Executor, rowsOf } from '../../db/client';
import { players } from '../../db/schema';

export interface ProfileRow {
  id: string;
  nickname: string;
  role: PlayerRole;
  balance: number;
  rating: number;
  wins: number;
  losses: number;
  createdAt: Date;
  power: number;
  itemCount: number;
}

export async function findProfile(db: Executor, playerId: string): Promise<ProfileRow | null> {
  const result = await db.execute(sql`
    SELECT p.id, p.nickname, p.role, p.balance, p.rating, p.wins, p.losses, p.created_at,
           COALESCE(SUM(i.power), 0)::int AS power, COUNT(inv.item_id)::int AS item_count
    FROM players p
    LEFT JOIN inventory inv ON inv.player_id = p.id
    LEFT JOIN items i ON i.id = inv.item_id
    WHERE p.id = ${playerId}
    GROUP BY p.id
  `);
  const row = rowsOf<{
    id: string;
    nickname: string;
    role: PlayerRole;
    balance: number | string;
    rating: number;
    wins: number;
    losses: number;
    created_at: string | Date;
    power: number;
    item_count: number;
  }>(result)[0];
  if (!row) return null;
  return {
    id: row.id,
    nickname: row.nickname,
    role: row.role,
    balance: Number(row.balance),
    rating: row.rating,
    wins: row.wins,
    losses: row.losses,
    createdAt: new Date(row.created_at),
    power: Number(row.power),
    itemCount: Number(row.item_count),
  };
}

export async function findBalance(db: Executor, playerId: string): Promise<number | null> {
  const [row] = await db.select({ balance: players.balance }).from(players).where(eq(players.id, playerId));
  return row ? row.balance : null;
}

export interface OwnedItemRow {
  id: number;
  name: string;
  price: number;
  sellPrice: number;
  power: number;
  acquiredAt: Date;
  /** The active market listing holding the item in escrow, when it is listed. */
  listingId: string | null;
}

/**
 * The player's items by item id, after `afterId` (served by the inventory primary key). The sell price
 * comes from mg_sell_price, the function the sale itself pays by (drizzle/0004_wallet_moves.sql). Items
 * in escrow on the market (out of the inventory while listed) are shown too, with their listing, read by
 * market_listings_one_active_per_item: a player holds an item either in its inventory or in one listing.
 */
export async function listOwnedItems(
  database: Pick<Database, 'query'>,
  playerId: string,
  afterId: number,
  limit: number,
  language: string,
  sellPercent: number,
): Promise<OwnedItemRow[]> {
  const rows = await database.query<{
    id: number;
    name: string;
    price: number | string;
    sell_price: number | string;
    power: number;
    acquired_at: string | Date;
    listing_id: string | null;
  }>({
    name: 'players_items',
    text: `SELECT i.id, COALESCE(i.names ->> $3, i.name) AS name, i.price,
                  mg_sell_price(i.price, $4::int) AS sell_price, i.power, o.acquired_at, o.listing_id
           FROM ((SELECT item_id, acquired_at, NULL::uuid AS listing_id FROM inventory
                  WHERE player_id = $1 AND item_id > $2 ORDER BY item_id LIMIT $5)
                 UNION ALL
                 (SELECT item_id, created_at, id FROM market_listings
                  WHERE seller_id = $1 AND status = 'active' AND item_id > $2 ORDER BY item_id LIMIT $5)) o
           JOIN items i ON i.id = o.item_id
           ORDER BY o.item_id
           LIMIT $5`,
    values: [playerId, afterId, language, sellPercent, limit],
  });
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    price: Number(r.price),
    sellPrice: Number(r.sell_price),
    power: r.power,
    acquiredAt: new Date(r.acquired_at),
    listingId: r.listing_id,
  }));
}

export interface LedgerRow {
  id: number;
  type: LedgerType;
  amount: number;
  balanceAfter: number;
  itemId: number | null;
  itemName: string | null;
  battleId: string | null;
  listingId: string | null;
  note: string | null;
  createdAt: Date;
}

/** The player's ledger, newest first, before ledger id `beforeId` (served by (player_id, id DESC)). */
export async function listLedger(
  db: Executor,
  playerId: string,
  beforeId: number | null,
  limit: number,
  language: string,
): Promise<LedgerRow[]> {
  const result = await db.execute(sql`
    SELECT l.id, l.type, l.amount, l.balance_after, l.item_id,
           COALESCE(i.names ->> ${language}, i.name) AS item_name, l.battle_id, l.listing_id, l.note, l.created_at
    FROM ledger l
    LEFT JOIN items i ON i.id = l.item_id
    WHERE l.player_id = ${playerId} ${beforeId === null ? sql`` : sql`AND l.id < ${beforeId}`}
    -- NULLS LAST matches ledger_player_id_idx (player_id, id DESC NULLS LAST). A bare "id DESC" means
    -- NULLS FIRST, which the index does not serve, so Postgres read and sorted the player's whole
    -- history for every page (EXPLAIN ANALYZE: Sort over Index Scan). id is never null: same rows.
    ORDER BY l.id DESC NULLS LAST
    LIMIT ${limit}
  `);
  return rowsOf<{
    id: number | string;
    type: LedgerType;
    amount: number | string;
    balance_after: number | string;
    item_id: number | null;
    item_name: string | null;
    battle_id: string | null;
    listing_id: string | null;
    note: string | null;
    created_at: string | Date;
  }>(result).map((r) => ({
    id: Number(r.id),
    type: r.type,
    amount: Number(r.amount),
    balanceAfter: Number(r.balance_after),
    itemId: r.item_id,
    itemName: r.item_name,
    battleId: r.battle_id,
    listingId: r.listing_id,
    note: r.note,
    createdAt: new Date(r.created_at),
  }));
}

export async function findRole(db: Executor, playerId: string): Promise<PlayerRole | null> {
  const [row] = await db.select({ role: players.role }).from(players).where(eq(players.id, playerId));
  return row?.role ?? null;
}

export async function setRoleByNickname(
  db: Executor,
  nicknameKey: string,
  role: PlayerRole,
): Promise<boolean> {
  const changed = await db
    .update(players)
    .set({ role, updatedAt: sql`now()` })
    .where(eq(players.nicknameKey, nicknameKey))
    .returning({ id: players.id });
  return changed.length > 0;
}
