/** Building blocks shared by every route schema: ids, money, timestamps, pagination and the error body. */
import { type Static, Type } from 'typebox';
import { ErrorCode } from '../errors';
import { MAX_MONEY } from '../money';

export const Uuid = Type.String({ format: 'uuid', description: 'A UUID' });
export const ItemId = Type.Integer({ minimum: 1, maximum: 2147483647, description: 'A catalog item id' });
export const Money = Type.Integer({
  minimum: 0,
  maximum: MAX_MONEY,
  description: 'Integer minor units: 1 credit = 100 units',
});
export const SignedMoney = Type.Integer({
  minimum: -MAX_MONEY,
  maximum: MAX_MONEY,
  description: 'Signed integer minor units',
});
export const Timestamp = Type.String({ format: 'date-time', description: 'ISO-8601, UTC' });

/** Languages item names are served in (`?lang=` or `Accept-Language`); the first is the default. */
export const LANGUAGES = ['en', 'ru'] as const;
export type Language = (typeof LANGUAGES)[number];
/** A language tag as sent by a client (`en`, `ru-RU`); one the server has no names in gets `en`. */
export const Lang = Type.String({
  maxLength: 35,
  pattern: '^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$',
  description: 'Language of item names (en, ru); overrides Accept-Language',
});

export const Limit = Type.Integer({ minimum: 1, maximum: 100, default: 20 });
export const Cursor = Type.String({
  minLength: 1,
  maxLength: 200,
  description: 'Opaque cursor from the previous page',
});
export const PageQuery = Type.Object(
  { limit: Type.Optional(Limit), cursor: Type.Optional(Cursor), lang: Type.Optional(Lang) },
  { additionalProperties: false },
);
export type PageQuery = Static<typeof PageQuery>;
export const LangQuery = Type.Object({ lang: Type.Optional(Lang) }, { additionalProperties: false });
export type LangQuery = Static<typeof LangQuery>;
export const NextCursor = Type.Union([Type.String(), Type.Null()]);

export const IdParams = Type.Object({ id: Uuid }, { additionalProperties: false });
export const ItemIdParams = Type.Object({ id: ItemId }, { additionalProperties: false });
export const ItemIdParam = Type.Object({ itemId: ItemId }, { additionalProperties: false });

/**
 * Schemas with a `title` are named components of the OpenAPI document (server/src/plugins/openapi.ts
 * hoists them to `#/components/schemas/<title>`): give a schema that clients name a unique title.
 */
export const ErrorBody = Type.Object(
  {
    error: Type.Object({
      code: Type.Unsafe<ErrorCode>(
        Type.String({ enum: Object.values(ErrorCode), description: 'Stable code; clients branch on it' }),
      ),
      message: Type.String({ description: 'For people; never parse it' }),
      details: Type.Optional(Type.Unknown({ description: 'Per code: the fields at fault, amounts...' })),
    }),
  },
  { $id: 'ErrorBody', title: 'Error', description: 'Every error response' },
);
export type ErrorBody = Static<typeof ErrorBody>;

/** Header every money move accepts: 1..128 printable ASCII characters. */
export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({ minLength: 1, maxLength: 128, pattern: '^[\\x20-\\x7E]+$' }),
  ),
});
