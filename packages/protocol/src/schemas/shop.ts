import { type Static, Type } from 'typebox';
import { Cursor, Lang, Limit, Money, NextCursor } from './common';
import { OwnedItem } from './player';

export const ShopItem = Type.Object(
  {
    id: Type.Integer({ minimum: 1 }),
    name: Type.String(),
    price: Money,
    power: Type.Integer({ minimum: 0 }),
    lowestMarketPrice: Type.Optional(
      Type.Union([Money, Type.Null()], {
        description: 'The cheapest active market listing of the item, null when none (catalog pages)',
      }),
    ),
  },
  { title: 'Item', description: 'A catalog item' },
);
export type ShopItem = Static<typeof ShopItem>;

export const ShopQuery = Type.Object(
  {
    limit: Type.Optional(Limit),
    cursor: Type.Optional(Cursor),
    search: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    lang: Type.Optional(Lang),
  },
  { additionalProperties: false },
);
export type ShopQuery = Static<typeof ShopQuery>;
export const ShopPage = Type.Object(
  { items: Type.Array(ShopItem), nextCursor: NextCursor },
  { title: 'ItemPage' },
);
export type ShopPage = Static<typeof ShopPage>;

export const BuyBody = Type.Object(
  { expectedPrice: Type.Optional(Money) },
  { additionalProperties: false, title: 'BuyRequest' },
);
export type BuyBody = Static<typeof BuyBody>;

export const BuyResponse = Type.Object(
  {
    balance: Money,
    item: OwnedItem,
    transactionId: Type.String(),
  },
  { title: 'Purchase' },
);
export type BuyResponse = Static<typeof BuyResponse>;

export const SellResponse = Type.Object(
  {
    balance: Money,
    amount: Money,
    item: ShopItem,
    transactionId: Type.String(),
  },
  { title: 'Sale' },
);
export type SellResponse = Static<typeof SellResponse>;
