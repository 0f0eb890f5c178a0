/**
 * Request validation. Bodies are validated strictly: no type coercion ("5" is not 5) and unknown fields
 * rejected, as the API promises. Query strings, params and headers arrive as text, so they are coerced.
 */
import { Ajv, type Options } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifyRequest, FastifySchemaCompiler } from 'fastify';
import { DomainError } from '../lib/domain-error';

// ajv-formats is CommonJS; under ESM its function sits on `default`.
const addFormats =
  (addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule;

const common: Options = { allErrors: false, removeAdditional: false, useDefaults: true, strict: false };

function build(options: Options): Ajv {
  const ajv = new Ajv({ ...common, ...options });
  addFormats(ajv);
  return ajv;
}

const bodyAjv = build({ coerceTypes: false });
const textAjv = build({ coerceTypes: 'array' });

/**
 * The first text in `value` (strings and keys, at any depth) that a database or another client cannot
 * keep as sent: a NUL (Postgres text refuses it) or a lone UTF-16 surrogate (it would be stored as
 * U+FFFD, so `"pass\ud800word"` would match `"pass\udfffword"`). Returns its field path, or null.
 */
export function findBadText(value: unknown, path: string, depth = 0): string | null {
  if (typeof value === 'string') {
    return value.includes('\u0000') || !isWellFormed(value) ? path : null;
  }
  if (typeof value !== 'object' || value === null || depth > 32) return null;
  for (const [key, inner] of Object.entries(value)) {
    const field = `${path}/${key}`;
    if (key.includes('\u0000') || !isWellFormed(key)) return field;
    const found = findBadText(inner, field, depth + 1);
    if (found !== null) return found;
  }
  return null;
}

// String.prototype.isWellFormed is in Node 20 but not yet in TypeScript's ES2022 lib.
const isWellFormed = (text: string): boolean => (text as string & { isWellFormed(): boolean }).isWellFormed();

export const validatorCompiler: FastifySchemaCompiler<object> = ({ schema, httpPart }) => {
  const validate = (httpPart === 'body' ? bodyAjv : textAjv).compile(schema);
  const context = httpPart ?? 'body';
  return (data: unknown) => {
    const badText = findBadText(data, context);
    if (badText !== null) {
      return {
        error: new DomainError('VALIDATION_ERROR', `${badText} must not contain NUL or lone surrogates`, [
          { field: badText, message: 'must not contain NUL or lone surrogates' },
        ]),
      };
    }
    if (validate(data)) return { value: data };
    return {
      error: Object.assign(new Error('validation failed'), {
        validation: validate.errors ?? [],
        validationContext: httpPart,
      }),
    };
  };
};

/**
 * preValidation hook: a route without a body schema takes no body. Nothing, `null`, '' or `{}` pass;
 * anything else is an unknown field and gets 400, as for routes with a schema (never silently dropped).
 */
export async function rejectUnexpectedBody(request: FastifyRequest): Promise<void> {
  if (request.routeOptions.schema?.body !== undefined) return;
  const body: unknown = request.body;
  if (body === undefined || body === null || body === '') return;
  const isObject = typeof body === 'object' && !Array.isArray(body);
  if (isObject && Object.keys(body).length === 0) return;
  const details = isObject
    ? Object.keys(body).map((key) => ({
        field: `body/${key}`,
        message: 'must NOT have additional properties',
      }))
    : [{ field: 'body', message: 'must be empty: this endpoint takes no body' }];
  throw new DomainError('VALIDATION_ERROR', `${details[0]?.field} ${details[0]?.message}`, details);
}
