/**
 * The OpenAPI document (`/openapi.json`, `/docs`), generated from the route schemas; clients in other
 * engines are generated from it, and CI lints it (server/test/openapi.test.ts, Redocly, zero errors).
 *
 * Conventions for a route (so that every team's routes come out alike):
 *  - `schema.operationId` (camelCase verb first: `buyItem`), `summary` (one line) and `description`;
 *  - `schema.security`: `bearerAuth` from lib/http for routes that need a token, `[]` for public ones;
 *  - `response`: every status the route answers, errors through `errors(...)` from lib/http. What every
 *    route may answer anyway (rate limit, body problems, outages) is added here, see commonErrors;
 *  - schemas that clients should name carry a unique `title` in packages/protocol: they become
 *    `#/components/schemas/<title>` and are `$ref`erenced wherever they appear (see hoistComponents).
 */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance, FastifySchema } from 'fastify';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Why each error status happens, for response descriptions (the body is always the Error schema). */
const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input (`VALIDATION_ERROR`; `details` names the fields)',
  401: 'No valid token (`UNAUTHENTICATED`), or a wrong password at login (`INVALID_CREDENTIALS`)',
  403: 'The role does not allow it (`FORBIDDEN`)',
  404: 'Not found (`NOT_FOUND`, `PLAYER_NOT_FOUND`, `ITEM_NOT_FOUND`)',
  408: 'The request did not arrive in time (`REQUEST_TIMEOUT`)',
  409: 'A rule of the game refuses it; `error.code` says which',
  413: 'The body is too large (`PAYLOAD_TOO_LARGE`)',
  414: 'A path parameter is over 100 characters (`URI_TOO_LONG`)',
  415: 'The body is not `application/json` (`UNSUPPORTED_MEDIA_TYPE`)',
  429: 'Too many requests (`RATE_LIMITED`); `Retry-After` says when to try again',
  431: 'The request line and headers are over 16 KiB (`HEADERS_TOO_LARGE`)',
  500: 'An unexpected server error (`INTERNAL_ERROR`); the log has it under the request id',
  503: 'The database is unavailable, or this node is shutting down (`SERVICE_UNAVAILABLE`); retry shortly',
};

const SUCCESS_DESCRIPTIONS: Record<string, string> = {
  200: 'OK',
  201: 'Created',
  204: 'Done; no body',
  304: 'Not modified: the `If-None-Match` ETag is current',
};

/** Statuses every API route may answer whatever it does: added to the document, not to validation. */
function commonErrors(schema: FastifySchema, method: string | string[]): number[] {
  // 408 / 431: a request that arrives too slowly or with too many header bytes (any route). 503: the
  // database is down (API routes), or the node is shutting down (every route).
  const statuses = [408, 429, 431, 500, 503];
  // A route without a body schema still reads one to refuse it (400, or 413 / 415), unless GET or HEAD.
  const methods = Array.isArray(method) ? method : [method];
  if (schema.body !== undefined || methods.some((m) => m !== 'GET' && m !== 'HEAD')) {
    statuses.push(400, 413, 415);
  }
  if (schema.params !== undefined) statuses.push(400, 414);
  if (schema.querystring !== undefined) statuses.push(400);
  return statuses;
}

/** Per route, before the document is built: response descriptions and the common error statuses. */
function describeRoute({
  schema,
  url,
  route,
}: {
  schema: FastifySchema;
  url: string;
  route: { method: string | string[] };
}): {
  schema: FastifySchema;
  url: string;
} {
  if (schema === undefined || schema === null) return { schema, url };
  const named = schema as FastifySchema & { operationId?: string; summary?: string; description?: string };
  // A route that names none gets a stable operationId from its method and path (getLobby, postMatchmakingQueue).
  const operationId = named.operationId ?? defaultOperationId(route.method, url);
  const description = named.description ?? named.summary;
  const given = isObject(schema.response) ? schema.response : {};
  const errorSchema = Object.entries(given).find(([status]) => Number(status) >= 400)?.[1];
  const response: Json = {};
  for (const [status, body] of Object.entries(given)) {
    const code = Number(status);
    // An error status is described by the route when it names its codes (x-response-description), else here.
    const own =
      isObject(body) && typeof body['x-response-description'] === 'string'
        ? body['x-response-description']
        : undefined;
    const description =
      code >= 400
        ? (own ?? ERROR_DESCRIPTIONS[code])
        : ((isObject(body) && typeof body.description === 'string' ? body.description : undefined) ??
          SUCCESS_DESCRIPTIONS[status]);
    response[status] = { ...(body as Json), 'x-response-description': description ?? 'Answer' };
  }
  if (errorSchema !== undefined) {
    for (const code of commonErrors(schema, route.method)) {
      response[code] ??= { ...(errorSchema as Json), 'x-response-description': ERROR_DESCRIPTIONS[code] };
    }
  }
  return {
    schema: { ...schema, operationId, ...(description === undefined ? {} : { description }), response },
    url,
  };
}

function defaultOperationId(method: string | string[], url: string): string {
  const verb = (Array.isArray(method) ? (method[0] ?? 'get') : method).toLowerCase();
  const words = url
    .replace(/^\/api\/v\d+/, '')
    .split(/[/_-]+/)
    .filter(Boolean)
    .map((word) => (word.startsWith(':') ? `by-${word.slice(1)}` : word))
    .flatMap((word) => word.split('-'))
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1).replace(/[^A-Za-z0-9]/g, ''));
  return verb + words.join('');
}

/**
 * Replaces every schema with a `title` under `node` by a `$ref` to `#/components/schemas/<title>`,
 * innermost first, and collects them in `components`. A title met twice with different content (e.g.
 * once made nullable) is left inline there.
 */
function hoist(node: unknown, components: Map<string, Json>): unknown {
  if (Array.isArray(node)) return node.map((child) => hoist(child, components));
  if (!isObject(node)) return node;
  const out: Json = {};
  for (const [key, value] of Object.entries(node)) out[key] = hoist(value, components);
  const title = out.title;
  const isSchema = 'type' in out || 'anyOf' in out || 'oneOf' in out || 'allOf' in out;
  if (typeof title !== 'string' || !isSchema) return out;
  const known = components.get(title);
  if (known === undefined) components.set(title, out);
  else if (JSON.stringify(known) !== JSON.stringify(out)) return out;
  return { $ref: `#/components/schemas/${encodeURIComponent(title)}` };
}

function hoistComponents({ openapiObject }: { openapiObject: Json }): Json {
  const components = new Map<string, Json>();
  const paths = hoist(openapiObject.paths, components);
  const existing = isObject(openapiObject.components) ? openapiObject.components : {};
  const schemas = isObject(existing.schemas) ? existing.schemas : {};
  return {
    ...openapiObject,
    paths,
    components: {
      ...existing,
      schemas: { ...schemas, ...Object.fromEntries([...components].sort(([a], [b]) => a.localeCompare(b))) },
    },
  };
}

export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'MetaGameplay API',
        version: '1.0.0',
        description:
          'A galaxy game economy. Money is integer minor units: 1 credit = 100 units. Every error has the ' +
          'body `{error: {code, message, details?}}` (schema `Error`); clients branch on `error.code`.',
      },
      servers: [{ url: '/', description: 'The server that serves this document' }],
      tags: [
        { name: 'auth', description: 'Accounts and sessions' },
        { name: 'player', description: 'Your profile, inventory and ledger; public profiles' },
        { name: 'shop', description: 'The catalog and purchases' },
        { name: 'admin', description: 'Catalog edits and credit grants (role admin)' },
        { name: 'operations', description: 'Health, readiness and metrics' },
      ],
      components: {
        securitySchemes: {
          bearerAuth: {
            type: 'http',
            scheme: 'bearer',
            description: 'The token from register or login: `Authorization: Bearer <token>`',
          },
          metricsToken: {
            type: 'http',
            scheme: 'bearer',
            description: 'METRICS_TOKEN, when the server is configured with one',
          },
        },
      },
    },
    transform: describeRoute,
    transformObject: (documentObject) =>
      'openapiObject' in documentObject
        ? (hoistComponents({ openapiObject: documentObject.openapiObject }) as never)
        : documentObject.swaggerObject,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
}
