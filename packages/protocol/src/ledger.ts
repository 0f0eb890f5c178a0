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
  'market_purchase',
  'market_sale',
  'market_fee',
] as const;
export type LedgerType = (typeof LEDGER_TYPES)[number];

export const ROLES = ['player', 'admin'] as const;
export type PlayerRole = (typeof ROLES)[number];
