import { type Static, Type } from 'typebox';
import { Money } from './common';
import { ShopItem } from './shop';

const ItemName = Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' });
const Power = Type.Integer({ minimum: 0, maximum: 1_000_000 });

export const CreateItemBody = Type.Object(
  { name: ItemName, price: Money, power: Power },
  { additionalProperties: false, title: 'NewItem' },
);
export type CreateItemBody = Static<typeof CreateItemBody>;

export const UpdateItemBody = Type.Object(
  { name: Type.Optional(ItemName), price: Type.Optional(Money), power: Type.Optional(Power) },
  { additionalProperties: false, minProperties: 1, title: 'ItemChange' },
);
export type UpdateItemBody = Static<typeof UpdateItemBody>;

export const ItemResponse = Type.Object({ item: ShopItem }, { title: 'ItemResponse' });
export type ItemResponse = Static<typeof ItemResponse>;

export const GrantBody = Type.Object(
  {
    amount: Type.Integer({ minimum: 1, maximum: 1_000_000_000_000 }),
    reason: Type.String({ minLength: 1, maxLength: 500 }),
  },
  { additionalProperties: false, title: 'Grant' },
);
export type GrantBody = Static<typeof GrantBody>;

export const GrantResponse = Type.Object(
  { balance: Money, transactionId: Type.String() },
  { title: 'GrantResult' },
);
export type GrantResponse = Static<typeof GrantResponse>;
