/**
 * SQL of the market between players. The moves (list, cancel, buy, expiry) are the SQL functions
 * mg_market_* (server/sql/functions), called as named prepared statements through the wallet's
 * callMoneyFunction: one round trip each, the Idempotency-Key claimed inside, the listing row and the
 * players locked in a fixed order. Reads show a listing by the database's own mg_listing_json, so a read
 * and a move's answer cannot differ.
 */
import type { Listing } from '@metagameplay/protocol';
import type { Database } from '../../db/client';
import { callMoneyFunction, type KeyArgs, type MoveRow } from '../wallet/wallet.repository';

type Queryable = Pick<Database, 'query'>;

/** What a market move answers besides: the listing after it, the balances it moved. */
export interface MarketMoveRow extends MoveRow {
  o_listing: Listing | null;
  o_balances?: Record<string, number | string> | null;
}

export function marketList(
  database: Queryable,
  args: {
    playerId: string;
    itemId: number;
    price: number;
    ttlSeconds: number;
    maxActive: number;
    language: string;
  } & KeyArgs,
): Promise<MarketMoveRow> {
  return callMoneyFunction(
    database,
    'market_list',
    'SELECT o_kind, o_status, o_outcome, o_listing FROM mg_market_list($1, $2, $3, $4, $5, $6, $7, $8)',
    [
      args.playerId,
      args.itemId,
      args.price,
      args.ttlSeconds,
      args.maxActive,
      args.language,
      args.key,
      args.fingerprint,
    ],
  );
}

export function marketCancel(
  database: Queryable,
  args: { listingId: string; playerId: string; language: string } & KeyArgs,
): Promise<MarketMoveRow> {
  return callMoneyFunction(
    database,
    'market_cancel',
    'SELECT o_kind, o_status, o_outcome, o_listing FROM mg_market_cancel($1, $2, $3, $4, $5)',
    [args.listingId, args.playerId, args.language, args.key, args.fingerprint],
  );
}

export function marketBuy(
  database: Queryable,
  args: {
    listingId: string;
    playerId: string;
    expectedPrice: number | null;
    feePercent: number;
    sellPercent: number;
    language: string;
  } & KeyArgs,
): Promise<MarketMoveRow> {
  return callMoneyFunction(
    database,
    'market_buy',
    `SELECT o_kind, o_status, o_outcome, o_listing, o_balances
     FROM mg_market_buy($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      args.listingId,
      args.playerId,
      args.expectedPrice,
      args.feePercent,
      args.sellPercent,
      args.language,
      args.key,
      args.fingerprint,
    ],
  );
}

/** Expires up to `limit` overdue listings, their items back to their sellers (rows others hold skipped). */
export function expireDueListings(database: Queryable, limit: number): Promise<{ o_listing: Listing }[]> {
  return database.query({
    name: 'market_expire',
    text: 'SELECT o_listing FROM mg_market_expire_due($1)',
    values: [limit],
  });
}

export type ListingSort = 'price' | 'newest';

export interface ListingRow {
  listing: Listing;
  /** The sort key's first part as text (price, or created_at as ISO text). */
  at: string;
}

/**
 * Active listings, by price (lowest first) or newest first, after the keyset (sort key, id) when given;
 * of one item, and/or whose item name (any language) matches `search`. Each order is one range of a
 * partial index on the active listings.
 */
export async function browseListings(
  database: Queryable,
  query: {
    sort: ListingSort;
    itemId: number | null;
    search: string | null;
    after: readonly [string, string] | null;
    limit: number;
    language: string;
  },
): Promise<ListingRow[]> {
  const byPrice = query.sort === 'price';
  // $4 is the keyset's first part as text (a price, or an ISO time), $5 the id; both null on page one.
  const keyset = byPrice
    ? '(l.price, l.id) > ($4::text::bigint, $5::uuid)'
    : '(l.created_at, l.id) < ($4::text::timestamptz, $5::uuid)';
  const rows = await database.query<{ listing: Listing; at: string | number }>({
    name: `market_browse_${query.sort}`,
    text: `SELECT mg_listing_json(l, $6) AS listing,
                  ${byPrice ? 'l.price::text' : 'mg_iso(l.created_at)'} AS at
           FROM market_listings l
           WHERE l.status = 'active' AND l.expires_at > now()
             AND ($1::int IS NULL OR l.item_id = $1)
             AND ($2::text IS NULL OR EXISTS (
                   SELECT 1 FROM items i WHERE i.id = l.item_id AND (i.name ILIKE $2 OR EXISTS (
                     SELECT 1 FROM jsonb_each_text(i.names) AS t(lang, name) WHERE t.name ILIKE $2))))
             AND ($5::uuid IS NULL OR ${keyset})
           ORDER BY ${byPrice ? 'l.price, l.id' : 'l.created_at DESC, l.id DESC'}
           LIMIT $3`,
    values: [
      query.itemId,
      query.search,
      query.limit,
      query.after?.[0] ?? null,
      query.after?.[1] ?? null,
      query.language,
    ],
  });
  return rows.map((row) => ({ listing: row.listing, at: String(row.at) }));
}

/** The player's own listings (every status), newest first. */
export async function sellerListings(
  database: Queryable,
  playerId: string,
  limit: number,
  language: string,
): Promise<Listing[]> {
  const rows = await database.query<{ listing: Listing }>({
    name: 'market_mine',
    text: `SELECT mg_listing_json(l, $3) AS listing FROM market_listings l
           WHERE l.seller_id = $1 ORDER BY l.created_at DESC, l.id DESC LIMIT $2`,
    values: [playerId, limit, language],
  });
  return rows.map((row) => row.listing);
}
