import { type Static, type TOptional, Type } from 'typebox';
import { LANGUAGES, type Language, Money } from './common';
import { ShopItem } from './shop';

const ItemName = Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' });
const Power = Type.Integer({ minimum: 0, maximum: 1_000_000 });

/** Translations of an item's name by language (`{"ru": "Шлем"}`); the catalog's own name is the fallback. */
export const ItemNames = Type.Object(
  Object.fromEntries(LANGUAGES.map((language) => [language, Type.Optional(ItemName)])) as Record<
    Language,
    TOptional<typeof ItemName>
  >,
  { additionalProperties: false, title: 'ItemNames', description: 'The name by language' },
);
/** Why an admin acted: written to the audit log. */
export const Reason = Type.String({ minLength: 1, maxLength: 500, pattern: '\\S' });

export const CreateItemBody = Type.Object(
  {
    name: ItemName,
    price: Money,
    power: Power,
    names: Type.Optional(ItemNames),
    reason: Type.Optional(Reason),
  },
  { additionalProperties: false, title: 'NewItem' },
);
export type CreateItemBody = Static<typeof CreateItemBody>;

export const UpdateItemBody = Type.Object(
  {
    name: Type.Optional(ItemName),
    price: Type.Optional(Money),
    power: Type.Optional(Power),
    names: Type.Optional(ItemNames),
    reason: Type.Optional(Reason),
  },
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
