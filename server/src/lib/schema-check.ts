/**
 * A schema as a checker of data that did not come through an HTTP route (WebSocket frames, bus events),
 * compiled with the routes' own validator so both refuse the same things.
 */
import type { TSchema } from 'typebox';
import { validatorCompiler } from '../plugins/validation';

/** Returns a description of what is wrong with `data`, or null when it matches the schema. */
export type Check = (data: unknown) => string | null;

export function checker(schema: TSchema, url = '/api/v1/ws'): Check {
  const validate = validatorCompiler({ schema, httpPart: 'body', method: 'GET', url });
  return (data) => {
    const result = validate(data) as { error?: unknown } | boolean;
    if (typeof result !== 'object' || !result.error) return null;
    const first = (result.error as { validation?: { instancePath?: string; message?: string }[] })
      .validation?.[0];
    return `${first?.instancePath || 'message'} ${first?.message ?? 'is invalid'}`.trim();
  };
}
