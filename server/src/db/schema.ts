/**
 * The database schema (Drizzle). Migrations in server/drizzle are generated from this file with
 * `npm run db:generate`, reviewed and committed. The database enforces every invariant it can: balances
 * never negative, one item of a kind per player, ledger rows tied to their player.
 */
import {
  ADMIN_ACTIONS,
  BATTLE_STATUSES,
  LEDGER_TYPES,
  LISTING_STATUSES,
  MAX_MONEY,
  ROLES,
} from '@metagameplay/protocol';
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  index,
  integer,
  uniqueIndex,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';

const money = (name: string) => bigint(name, { mode: 'number' });
const createdAt = () => timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow();

export const players = pgTable(
  'players',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    nickname: text('nickname').notNull(),
    /** NFKC + lower-case form of the nickname: how login finds the account. */
    nicknameKey: text('nickname_key').notNull().unique(),
    /**
     * UTS #39 confusable skeleton of the nickname (features/auth/nickname.ts): no two names that look
     * alike. Rows older than the column get theirs at start-up (NULL only where two old names collide).
     */
    nicknameSkeleton: text('nickname_skeleton').unique(),
    passwordHash: text('password_hash').notNull(),
    role: text('role', { enum: ROLES }).notNull().default('player'),
    balance: money('balance').notNull().default(0),
    rating: integer('rating').notNull().default(1000),
    wins: integer('wins').notNull().default(0),
    losses: integer('losses').notNull().default(0),
    lastBonusAt: timestamp('last_bonus_at', { withTimezone: true, precision: 3 }),
    /** Set while the player is banned (the console's ban): login is refused, sessions were revoked. */
    bannedAt: timestamp('banned_at', { withTimezone: true, precision: 3 }),
    /** When a temporary ban ends by itself; NULL with banned_at set is a ban until unbanned. */
    bannedUntil: timestamp('banned_until', { withTimezone: true, precision: 3 }),
    banReason: text('ban_reason'),
    /** Set when the account was deleted: the row is a tombstone (nickname replaced, password gone). */
    deletedAt: timestamp('deleted_at', { withTimezone: true, precision: 3 }),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    check('players_balance_non_negative', sql`${t.balance} >= 0`),
    // MAX_MONEY keeps every balance, and every sum of two, exact as a JSON number (below 2^53).
    check('players_balance_max', sql`${t.balance} <= ${sql.raw(String(MAX_MONEY))}`),
    check('players_role_valid', sql`${t.role} in (${sql.raw(ROLES.map((r) => `'${r}'`).join(', '))})`),
    index('players_rating_idx').on(t.rating.desc(), t.id),
    // The console lists the newest players first.
    index('players_created_at_idx').on(t.createdAt.desc(), t.id.desc()),
    // The console's search by nickname prefix (login's key and the skeleton), whatever the collation:
    // text_pattern_ops compares bytes, so a prefix is one range (~>=~ and ~<~) of each.
    index('players_nickname_key_prefix_idx').on(t.nicknameKey.op('text_pattern_ops')),
    index('players_nickname_skeleton_prefix_idx').on(t.nicknameSkeleton.op('text_pattern_ops')),
  ],
);

export const items = pgTable(
  'items',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    /** The catalog's own name: the key the catalog file is matched by, and the fallback of every language. */
    name: text('name').notNull().unique(),
    /** Translations of the name by language (`{"en": "Combat helmet"}`), served by the player's language. */
    names: jsonb('names').$type<Record<string, string>>().notNull().default({}),
    price: money('price').notNull(),
    power: integer('power').notNull().default(0),
    active: boolean('active').notNull().default(true),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    check('items_price_non_negative', sql`${t.price} >= 0`),
    check('items_power_non_negative', sql`${t.power} >= 0`),
  ],
);

export const inventory = pgTable(
  'inventory',
  {
    playerId: uuid('player_id')
      .notNull()
      .references(() => players.id, { onDelete: 'cascade' }),
    itemId: integer('item_id')
      .notNull()
      .references(() => items.id),
    acquiredAt: timestamp('acquired_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.playerId, t.itemId] })],
);

/** Append-only: rows are inserted in the transaction that moves the money, never updated or deleted. */
export const ledger = pgTable(
  'ledger',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    playerId: uuid('player_id')
      .notNull()
      .references(() => players.id, { onDelete: 'cascade' }),
    type: text('type', { enum: LEDGER_TYPES }).notNull(),
    amount: money('amount').notNull(),
    balanceAfter: money('balance_after').notNull(),
    itemId: integer('item_id').references(() => items.id),
    battleId: uuid('battle_id'),
    /** The market listing a market_purchase, market_sale or market_fee row belongs to. */
    listingId: uuid('listing_id'),
    note: text('note'),
    createdAt: createdAt(),
  },
  (t) => [
    index('ledger_player_id_idx').on(t.playerId, t.id.desc()),
    // The economy's per-day sums read one day's rows: the ledger is appended in time order, so a BRIN
    // index (a few pages for 10M rows, next to nothing to maintain per insert) finds them.
    index('ledger_created_at_brin').using('brin', t.createdAt),
    check('ledger_balance_after_non_negative', sql`${t.balanceAfter} >= 0`),
    check('ledger_balance_after_max', sql`${t.balanceAfter} <= ${sql.raw(String(MAX_MONEY))}`),
    check(
      'ledger_type_valid',
      sql`${t.type} in (${sql.raw(LEDGER_TYPES.map((type) => `'${type}'`).join(', '))})`,
    ),
  ],
);

export const sessions = pgTable(
  'sessions',
  {
    /** SHA-256 (hex) of the bearer token; the token itself is never stored. */
    tokenHash: text('token_hash').primaryKey(),
    playerId: uuid('player_id')
      .notNull()
      .references(() => players.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true, precision: 3 }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true, precision: 3 }),
  },
  (t) => [index('sessions_player_id_idx').on(t.playerId), index('sessions_expires_at_idx').on(t.expiresAt)],
);

export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    playerId: uuid('player_id')
      .notNull()
      .references(() => players.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    /** SHA-256 of method, path and body: the same key with another request is a conflict. */
    fingerprint: text('fingerprint').notNull(),
    statusCode: integer('status_code').notNull(),
    /** The first response's body, byte for byte, so a replay is identical. */
    response: text('response').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.playerId, t.key] }),
    index('idempotency_keys_created_at_idx').on(t.createdAt),
  ],
);

/**
 * Battles between two players (API.md "Battles"). Every change of a row is made by the wallet's battle
 * functions (drizzle/0005_battles.sql) in the transaction that moves the stakes: the challenger's stake
 * is held from the challenge on, the opponent's from the accept, so the escrow of a pending battle is
 * its `stake` (the audit checks Σ stakes of pending battles against the ledger). `seed` is the server's
 * secret until the battle leaves `pending`; only `seed_hash` is shown before.
 */
export const battles = pgTable(
  'battles',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    challengerId: uuid('challenger_id')
      .notNull()
      .references(() => players.id, { onDelete: 'cascade' }),
    opponentId: uuid('opponent_id')
      .notNull()
      .references(() => players.id, { onDelete: 'cascade' }),
    stake: money('stake').notNull(),
    status: text('status', { enum: BATTLE_STATUSES }).notNull().default('pending'),
    winnerId: uuid('winner_id').references(() => players.id, { onDelete: 'cascade' }),
    challengerPower: integer('challenger_power'),
    opponentPower: integer('opponent_power'),
    /** 32 random bytes, lower-case hex; revealed when the battle is resolved. */
    seed: text('seed').notNull(),
    seedHash: text('seed_hash').notNull(),
    challengerClientSeed: text('challenger_client_seed'),
    opponentClientSeed: text('opponent_client_seed'),
    ratingChange: integer('rating_change'),
    /**
     * The base strength B the battle is fought with (BATTLE_BASE_STRENGTH when it was created): the
     * challenger wins with chance (cp + B) / (cp + op + 2B). 0 on battles older than the rule, which
     * verify under the old cp / (cp + op).
     */
    baseStrength: integer('base_strength').notNull().default(0),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true, precision: 3 }).notNull(),
    resolvedAt: timestamp('resolved_at', { withTimezone: true, precision: 3 }),
  },
  (t) => [
    check('battles_two_players', sql`${t.challengerId} <> ${t.opponentId}`),
    check('battles_base_strength_non_negative', sql`${t.baseStrength} >= 0`),
    check('battles_stake_range', sql`${t.stake} >= 0 AND ${t.stake} <= ${sql.raw(String(MAX_MONEY))}`),
    check(
      'battles_status_valid',
      sql`${t.status} in (${sql.raw(BATTLE_STATUSES.map((s) => `'${s}'`).join(', '))})`,
    ),
    check(
      'battles_resolved_complete',
      sql`(${t.status} = 'resolved') = (${t.winnerId} IS NOT NULL AND ${t.ratingChange} IS NOT NULL)`,
    ),
    // One pending challenge per (challenger, opponent): the database refuses a second one whatever races.
    uniqueIndex('battles_one_pending_per_pair')
      .on(t.challengerId, t.opponentId)
      .where(sql`${t.status} = 'pending'`),
    index('battles_challenger_idx').on(t.challengerId, t.createdAt.desc(), t.id.desc()),
    index('battles_opponent_idx').on(t.opponentId, t.createdAt.desc(), t.id.desc()),
    // The expiry sweep reads the due pending battles in expiry order.
    index('battles_pending_expiry_idx').on(t.expiresAt).where(sql`${t.status} = 'pending'`),
  ],
);

/**
 * Market listings (API.md "Market between players"). Every change of a row is made by the market's SQL
 * functions (mg_market_*) in the transaction that moves the item and the money. While a listing is
 * `active` it holds the item in escrow: the seller's inventory row is gone (so the shop will not buy it
 * back and it cannot be listed twice) and comes back on cancel or expiry; a sale gives it to the buyer.
 * `fee` is what the sale took out of the economy (MARKET_FEE_PERCENT of the price, rounded down), set
 * when sold; the audit checks it against the sale's ledger rows.
 */
export const marketListings = pgTable(
  'market_listings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    sellerId: uuid('seller_id')
      .notNull()
      .references(() => players.id, { onDelete: 'cascade' }),
    itemId: integer('item_id')
      .notNull()
      .references(() => items.id),
    price: money('price').notNull(),
    status: text('status', { enum: LISTING_STATUSES }).notNull().default('active'),
    buyerId: uuid('buyer_id').references(() => players.id, { onDelete: 'set null' }),
    fee: money('fee'),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true, precision: 3 }).notNull(),
    closedAt: timestamp('closed_at', { withTimezone: true, precision: 3 }),
  },
  (t) => [
    check(
      'market_listings_price_range',
      sql`${t.price} >= 1 AND ${t.price} <= ${sql.raw(String(MAX_MONEY))}`,
    ),
    check(
      'market_listings_status_valid',
      sql`${t.status} in (${sql.raw(LISTING_STATUSES.map((s) => `'${s}'`).join(', '))})`,
    ),
    check('market_listings_fee_range', sql`${t.fee} IS NULL OR (${t.fee} >= 0 AND ${t.fee} <= ${t.price})`),
    check('market_listings_sold_complete', sql`(${t.status} = 'sold') = (${t.fee} IS NOT NULL)`),
    // One active listing per (seller, item): an item cannot be listed twice, whatever races.
    uniqueIndex('market_listings_one_active_per_item')
      .on(t.sellerId, t.itemId)
      .where(sql`${t.status} = 'active'`),
    // Browsing: the active listings by price or by age, of all items or of one.
    index('market_listings_active_price_idx').on(t.price, t.id).where(sql`${t.status} = 'active'`),
    index('market_listings_active_newest_idx')
      .on(t.createdAt.desc(), t.id.desc())
      .where(sql`${t.status} = 'active'`),
    index('market_listings_active_item_price_idx')
      .on(t.itemId, t.price, t.id)
      .where(sql`${t.status} = 'active'`),
    index('market_listings_seller_idx').on(t.sellerId, t.createdAt.desc(), t.id.desc()),
    // The expiry sweep reads the due active listings in expiry order.
    index('market_listings_active_expiry_idx').on(t.expiresAt).where(sql`${t.status} = 'active'`),
  ],
);

/**
 * The ledger summed per UTC day and type, for the console's economy charts. A row is written once, for a
 * day that ended over an hour before (no transaction still open can add to it: money moves are single
 * statements), by whichever node asks first; the ledger is append-only, so it never changes after.
 * Today's and yesterday's sums are read from the ledger itself.
 */
export const ledgerDays = pgTable(
  'ledger_days',
  {
    day: text('day').notNull(),
    type: text('type', { enum: LEDGER_TYPES }).notNull(),
    entries: bigint('entries', { mode: 'number' }).notNull(),
    amount: bigint('amount', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.day, t.type] })],
);

/** Every admin action (API.md "The operator's console"): who, what, to whom, why, when. Append-only. */
export const adminAuditLog = pgTable(
  'admin_audit_log',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    adminId: uuid('admin_id')
      .notNull()
      .references(() => players.id),
    action: text('action', { enum: ADMIN_ACTIONS }).notNull(),
    playerId: uuid('player_id').references(() => players.id),
    itemId: integer('item_id').references(() => items.id),
    reason: text('reason'),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [
    check(
      'admin_audit_log_action_valid',
      sql`${t.action} in (${sql.raw(ADMIN_ACTIONS.map((a) => `'${a}'`).join(', '))})`,
    ),
    index('admin_audit_log_player_idx').on(t.playerId, t.id.desc()),
    index('admin_audit_log_action_idx').on(t.action, t.id.desc()),
  ],
);
