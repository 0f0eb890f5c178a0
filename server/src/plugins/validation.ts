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

export const validatorCompiler: FastifySchemaCompiler<object> = ({ schema, httpPart }) => {
  const validate = (httpPart === 'body' ? bodyAjv : textAjv).compile(schema);
  return (data: unknown) => {
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
