/**
 * The database schema (Drizzle). Migrations in server/drizzle are generated from this file with
 * `npm run db:generate`, reviewed and committed. The database enforces every invariant it can: balances
 * never negative, one item of a kind per player, ledger rows tied to their player.
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  index,
  integer,
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
    role: text('role', { enum: ['player', 'admin'] })
      .notNull()
      .default('player'),
    balance: money('balance').notNull().default(0),
    rating: integer('rating').notNull().default(1000),
    wins: integer('wins').notNull().default(0),
    losses: integer('losses').notNull().default(0),
    lastBonusAt: timestamp('last_bonus_at', { withTimezone: true, precision: 3 }),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    check('players_balance_non_negative', sql`${t.balance} >= 0`),
    check('players_role_valid', sql`${t.role} in ('player', 'admin')`),
    index('players_rating_idx').on(t.rating.desc(), t.id),
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

export const ledgerTypes = [
  'login_bonus',
  'purchase',
  'sale',
  'battle_stake',
  'battle_payout',
  'battle_refund',
  'admin_grant',
] as const;

/** Append-only: rows are inserted in the transaction that moves the money, never updated or deleted. */
export const ledger = pgTable(
  'ledger',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    playerId: uuid('player_id')
      .notNull()
      .references(() => players.id, { onDelete: 'cascade' }),
    type: text('type', { enum: ledgerTypes }).notNull(),
    amount: money('amount').notNull(),
    balanceAfter: money('balance_after').notNull(),
    itemId: integer('item_id').references(() => items.id),
    battleId: uuid('battle_id'),
    note: text('note'),
    createdAt: createdAt(),
  },
  (t) => [
    index('ledger_player_id_idx').on(t.playerId, t.id.desc()),
    check('ledger_balance_after_non_negative', sql`${t.balanceAfter} >= 0`),
    check(
      'ledger_type_valid',
      sql`${t.type} in ('login_bonus', 'purchase', 'sale', 'battle_stake', 'battle_payout', 'battle_refund', 'admin_grant')`,
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
