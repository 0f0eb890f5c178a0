import { type Static, Type } from 'typebox';
import { LEDGER_TYPES, ROLES } from '../ledger';
import { ItemId, Money, NextCursor, SignedMoney, Timestamp, Uuid } from './common';

export const Role = Type.Enum(ROLES);
export type Role = Static<typeof Role>;

/** The private profile: only the player itself sees it. */
export const PrivatePlayer = Type.Object(
  {
    id: Uuid,
    nickname: Type.String(),
    role: Role,
    balance: Money,
    power: Type.Integer({ minimum: 0 }),
    rating: Type.Integer(),
    wins: Type.Integer({ minimum: 0, description: 'Battles won' }),
    losses: Type.Integer({ minimum: 0, description: 'Battles lost' }),
    itemCount: Type.Integer({ minimum: 0 }),
    createdAt: Timestamp,
  },
  { title: 'Player', description: 'The private profile: only the player itself sees it' },
);
export type PrivatePlayer = Static<typeof PrivatePlayer>;

/** What anyone may see of a player: no balance, no items. */
export const PublicPlayer = Type.Object(
  {
    id: Uuid,
    nickname: Type.String(),
    power: Type.Integer({ minimum: 0 }),
    rating: Type.Integer(),
    online: Type.Boolean(),
  },
  { title: 'PublicPlayer', description: 'What anyone may see of a player' },
);
export type PublicPlayer = Static<typeof PublicPlayer>;

export const BalanceResponse = Type.Object({ balance: Money }, { title: 'Balance' });
export type BalanceResponse = Static<typeof BalanceResponse>;

export const OwnedItem = Type.Object(
  {
    id: ItemId,
    name: Type.String(),
    price: Money,
    sellPrice: Money,
    power: Type.Integer({ minimum: 0 }),
    acquiredAt: Timestamp,
    listingId: Type.Optional(
      Type.String({
        format: 'uuid',
        description:
          'Present while the item is listed on the market (held in escrow: not sellable to the shop)',
      }),
    ),
  },
  { title: 'OwnedItem', description: "An item in a player's inventory" },
);
export type OwnedItem = Static<typeof OwnedItem>;
export const OwnedItemPage = Type.Object(
  { items: Type.Array(OwnedItem), nextCursor: NextCursor },
  { title: 'OwnedItemPage' },
);
export type OwnedItemPage = Static<typeof OwnedItemPage>;

export const TransactionType = Type.Enum(LEDGER_TYPES, { title: 'TransactionType' });
export type TransactionType = Static<typeof TransactionType>;

export const Transaction = Type.Object(
  {
    id: Type.String({ description: 'Ledger row id (a decimal string of a 64-bit integer)' }),
    type: TransactionType,
    amount: SignedMoney,
    balanceAfter: Money,
    itemId: Type.Union([ItemId, Type.Null()]),
    itemName: Type.Union([Type.String(), Type.Null()], { description: 'The item bought or sold, if any' }),
    battleId: Type.Union([Uuid, Type.Null()]),
    listingId: Type.Union([Uuid, Type.Null()], { description: 'The market listing of a market_* row' }),
    note: Type.Optional(
      Type.Union([Type.String(), Type.Null()], {
        description: 'Why an admin moved the credits (admin_grant, admin_deduct, account_closed)',
      }),
    ),
    createdAt: Timestamp,
  },
  { title: 'Transaction', description: 'One ledger row: a change of balance' },
);
export type Transaction = Static<typeof Transaction>;
export const TransactionPage = Type.Object(
  { transactions: Type.Array(Transaction), nextCursor: NextCursor },
  { title: 'TransactionPage' },
);
export type TransactionPage = Static<typeof TransactionPage>;
