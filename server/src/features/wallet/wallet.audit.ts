/**
 * The money audit (`npm run admin -- audit`): checks every money invariant on a live database and names
 * the rows that break one. Read-only; all checks are one statement, so they read one snapshot and
 * concurrent moves cannot make a consistent database look broken.
 *   - balance = Σ ledger.amount, per player
 *   - the balance_after chain: each ledger row's balance_after = the running Σ amount up to it
 *   - items held = purchases − sales, per (player, item), the market's counted too (a market purchase
 *     brings the item, a market sale takes it), where an item is held in the inventory or in escrow by an
 *     active listing of its seller; a deleted account (the console's delete, whose items
 *     left with it) holds nothing
 *   - market: each sold listing's ledger rows are its buyer's −price, its seller's +price and −fee (the
 *     fee the listing records), any other listing has none; so Σ balances + Σ fees taken is explained by
 *     the ledger
 *   - nothing negative, nothing above MAX_MONEY
 *   - escrow: the money battles hold (Σ of their stake, payout and refund ledger rows, negated) equals the
 *     Σ stakes of pending battles; per battle, its ledger rows are those of its status (a pending one
 *     holds its stake, a resolved one paid out both stakes, an ended one gave the stake back)
 */
import { MAX_MONEY } from '@metagameplay/protocol';
import type { Database } from '../../db/client';

export interface AuditFinding {
  check:
    | 'balance_vs_ledger'
    | 'balance_after_chain'
    | 'inventory_vs_trades'
    | 'out_of_bounds'
    | 'escrow_total'
    | 'escrow_per_battle'
    | 'market_per_listing';
  /** The offending row, named so an operator can find it. */
  row: string;
  detail: string;
}

const CHECKS: { check: AuditFinding['check']; text: string }[] = [
  {
    check: 'balance_vs_ledger',
    text: `
      SELECT 'player ' || p.id || ' (' || p.nickname || ')' AS row,
             'balance ' || p.balance || ' <> ledger sum ' || COALESCE(l.total, 0) AS detail
      FROM players p
      LEFT JOIN (SELECT player_id, SUM(amount) AS total FROM ledger GROUP BY player_id) l ON l.player_id = p.id
      WHERE p.balance <> COALESCE(l.total, 0)`,
  },
  {
    check: 'balance_after_chain',
    text: `
      SELECT 'ledger ' || id || ' of player ' || player_id AS row,
             'balance_after ' || balance_after || ' <> running sum ' || running AS detail
      FROM (SELECT id, player_id, balance_after,
                   SUM(amount) OVER (PARTITION BY player_id ORDER BY id) AS running
            FROM ledger) chain
      WHERE balance_after <> running`,
  },
  {
    check: 'inventory_vs_trades',
    text: `
      SELECT 'player ' || COALESCE(t.player_id, i.player_id) || ' item ' || COALESCE(t.item_id, i.item_id) AS row,
             'purchases - sales = ' || COALESCE(t.held, 0)
               || CASE WHEN d.id IS NULL THEN '' ELSE ' (account deleted: holds nothing)' END
               || ', inventory or escrow rows = ' || COALESCE(i.n, 0) AS detail
      FROM (SELECT player_id, item_id,
                   SUM(CASE WHEN type IN ('purchase', 'market_purchase') THEN 1 ELSE -1 END) AS held
            FROM ledger WHERE type IN ('purchase', 'sale', 'market_purchase', 'market_sale') AND item_id IS NOT NULL
            GROUP BY player_id, item_id) t
      FULL JOIN (SELECT player_id, item_id, count(*) AS n
                 FROM (SELECT player_id, item_id FROM inventory
                       UNION ALL
                       SELECT seller_id, item_id FROM market_listings WHERE status = 'active') h
                 GROUP BY player_id, item_id) i ON i.player_id = t.player_id AND i.item_id = t.item_id
      LEFT JOIN players d ON d.id = COALESCE(t.player_id, i.player_id) AND d.deleted_at IS NOT NULL
      WHERE CASE WHEN d.id IS NULL THEN COALESCE(t.held, 0) ELSE 0 END <> COALESCE(i.n, 0)`,
  },
  {
    check: 'escrow_total',
    text: `
      SELECT 'all battles' AS row,
             'held by battles per ledger ' || held || ' <> stakes of pending battles ' || pending AS detail
      FROM (SELECT -COALESCE(SUM(amount), 0) AS held FROM ledger
            WHERE type IN ('battle_stake', 'battle_payout', 'battle_refund')) l,
           (SELECT COALESCE(SUM(stake), 0) AS pending FROM battles WHERE status = 'pending') b
      WHERE held <> pending`,
  },
  {
    check: 'escrow_per_battle',
    text: `
      SELECT 'battle ' || b.id || ' (' || b.status || ')' AS row,
             'ledger rows ' || COALESCE(l.rows, '') || ' do not fit a ' || b.status || ' battle of stake ' || b.stake
               AS detail
      FROM battles b
      LEFT JOIN (SELECT battle_id, string_agg(type || ' ' || amount, ', ' ORDER BY id) AS rows,
                        SUM(amount) FILTER (WHERE type = 'battle_stake') AS staked,
                        SUM(amount) FILTER (WHERE type = 'battle_payout') AS paid,
                        SUM(amount) FILTER (WHERE type = 'battle_refund') AS refunded
                 FROM ledger WHERE battle_id IS NOT NULL GROUP BY battle_id) l ON l.battle_id = b.id
      WHERE b.stake > 0 AND NOT CASE b.status
        WHEN 'pending' THEN l.staked = -b.stake AND l.paid IS NULL AND l.refunded IS NULL
        WHEN 'resolved' THEN l.staked = -2 * b.stake AND l.paid = 2 * b.stake AND l.refunded IS NULL
        ELSE l.staked = -b.stake AND l.refunded = b.stake AND l.paid IS NULL
      END IS TRUE`,
  },
  {
    check: 'market_per_listing',
    text: `
      SELECT 'listing ' || m.id || ' (' || m.status || ')' AS row,
             'ledger rows ' || COALESCE(l.rows, 'none') || ' do not fit a ' || m.status || ' listing of price '
               || m.price || ' and fee ' || COALESCE(m.fee::text, 'none') AS detail
      FROM market_listings m
      LEFT JOIN (SELECT x.listing_id, string_agg(x.type || ' ' || x.amount, ', ' ORDER BY x.id) AS rows,
                        SUM(x.amount) FILTER (WHERE x.type = 'market_purchase') AS paid,
                        SUM(x.amount) FILTER (WHERE x.type = 'market_sale') AS received,
                        SUM(x.amount) FILTER (WHERE x.type = 'market_fee') AS fee,
                        count(*) FILTER (WHERE x.type = 'market_purchase') AS buys,
                        -- The purchase is the buyer's (never the seller's), the sale and fee the seller's.
                        bool_and(CASE x.type WHEN 'market_purchase' THEN x.player_id <> s.seller_id
                                             ELSE x.player_id = s.seller_id END) AS sides
                 FROM ledger x JOIN market_listings s ON s.id = x.listing_id
                 WHERE x.listing_id IS NOT NULL GROUP BY x.listing_id) l ON l.listing_id = m.id
      WHERE NOT CASE m.status
        WHEN 'sold' THEN l.buys = 1 AND l.paid = -m.price AND l.received = m.price
                         AND COALESCE(l.fee, 0) = -m.fee AND l.sides
        ELSE l.listing_id IS NULL
      END IS TRUE`,
  },
  {
    check: 'out_of_bounds',
    text: `
      SELECT 'player ' || id || ' (' || nickname || ')' AS row, 'balance ' || balance AS detail
      FROM players WHERE balance < 0 OR balance > ${MAX_MONEY}
      UNION ALL
      SELECT 'ledger ' || id || ' of player ' || player_id, 'balance_after ' || balance_after
      FROM ledger WHERE balance_after < 0 OR balance_after > ${MAX_MONEY}`,
  },
];

const AUDIT = CHECKS.map(
  ({ check, text }) => `SELECT '${check}' AS "check", row, detail FROM (${text}) AS c`,
).join('\nUNION ALL\n');

export async function auditMoney(database: Database): Promise<AuditFinding[]> {
  return database.query<AuditFinding>({ name: 'wallet_audit', text: AUDIT, values: [] });
}
