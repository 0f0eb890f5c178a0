/** Operations endpoints: liveness, readiness (database required, Redis optional), metrics. */
import { Readiness } from '@metagameplay/protocol';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { timingSafeEqual } from 'node:crypto';
import type { Database } from '../../db/client';
import type { Cache } from '../../infra/cache';
import type { Metrics } from '../../infra/metrics';
import { DomainError } from '../../lib/domain-error';
import { errors } from '../../lib/http';

/** True when `header` is `Bearer <token>`, compared in constant time. */
function bearerMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(header ?? '');
  const expected = Buffer.from(`Bearer ${token}`);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export interface OpsOptions {
  database: Pick<Database, 'ping'>;
  cache: Pick<Cache, 'status'>;
  metrics: Pick<Metrics, 'registry' | 'render'>;
  /** METRICS_TOKEN: when set, /metrics needs it as a bearer token. */
  metricsToken: string | null;
}

export const opsRoutes: FastifyPluginAsyncTypebox<OpsOptions> = async (
  app,
  { database: db, cache, metrics, metricsToken },
) => {
  const tags = ['operations'];

  app.get(
    '/healthz',
    {
      schema: {
        tags,
        operationId: 'getHealth',
        summary: 'Alive',
        description: 'Answers while the process runs (liveness probe); touches nothing else.',
        security: [],
        response: { 200: Type.Object({ status: Type.Literal('ok') }), ...errors(400) },
      },
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/readyz',
    {
      schema: {
        tags,
        operationId: 'getReadiness',
        summary: 'Ready: the database answers',
        description: 'Readiness probe: 200 while the database answers (Redis may be down), else 503.',
        security: [],
        response: {
          200: Readiness,
          503: { ...Readiness, description: 'The database does not answer' },
          ...errors(400),
        },
      },
    },
    async (_request, reply) => {
      const database = (await db.ping()) ? 'ok' : 'down';
      const body = { database, redis: cache.status() } as const;
      return reply.code(database === 'ok' ? 200 : 503).send(body);
    },
  );

  app.get(
    '/metrics',
    {
      schema: {
        tags,
        operationId: 'getMetrics',
        summary: 'Prometheus metrics',
        description:
          'Prometheus text format. When the server has METRICS_TOKEN, send it as a bearer token (else 401).',
        security: [{}, { metricsToken: [] }],
        response: {
          200: {
            description: 'Prometheus text exposition format',
            content: { 'text/plain': { schema: Type.String() } },
          },
          ...errors(400, 401),
        },
      },
    },
    async (request, reply) => {
      // METRICS_TOKEN set: scrapers send it as a bearer token; anyone else learns nothing.
      const token = metricsToken;
      if (token !== null && !bearerMatches(request.headers.authorization, token)) {
        throw new DomainError('UNAUTHENTICATED', 'The metrics need the METRICS_TOKEN bearer token');
      }
      return reply.type(metrics.registry.contentType).send(await metrics.render());
    },
  );
};
