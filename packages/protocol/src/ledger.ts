/**
 * The kinds of money movement and the player roles, written once: the API schemas, the database schema
 * (its enum columns and CHECK constraints), the repositories and the services all take them from here.
 */
export const LEDGER_TYPES = [
  'login_bonus',
  'purchase',
  'sale',
  'battle_stake',
  'battle_payout',
  'battle_refund',
  'admin_grant',
  'admin_deduct',
  /** A deleted account's balance taken out of the economy (the console's delete). */
  'account_closed',
  'market_purchase',
  'market_sale',
  'market_fee',
] as const;
export type LedgerType = (typeof LEDGER_TYPES)[number];

export const ROLES = ['player', 'admin'] as const;
export type PlayerRole = (typeof ROLES)[number];

/** What an admin did, as the console's audit log names it (API.md "The operator's console"). */
export const ADMIN_ACTIONS = [
  'grant',
  'deduct',
  'ban',
  'unban',
  'export',
  'delete',
  'item_create',
  'item_update',
  'item_retire',
  'item_restore',
  'books_check',
] as const;
export type AdminAction = (typeof ADMIN_ACTIONS)[number];
