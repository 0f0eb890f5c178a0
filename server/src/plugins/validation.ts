/**
 * Request validation. Bodies are validated strictly: no type coercion ("5" is not 5) and unknown fields
 * rejected, as the API promises. Query strings, params and headers arrive as text, so they are coerced.
 */
import { Ajv, type Options } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';

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
