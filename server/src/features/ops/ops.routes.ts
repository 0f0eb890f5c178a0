/** Operations endpoints: liveness, readiness (database required, Redis optional), metrics. */
import { Readiness } from '@metagameplay/protocol';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { timingSafeEqual } from 'node:crypto';
import type { AppContext } from '../../context';
import { DomainError } from '../../lib/domain-error';

/** True when `header` is `Bearer <token>`, compared in constant time. */
function bearerMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(header ?? '');
  const expected = Buffer.from(`Bearer ${token}`);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export const opsRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const tags = ['operations'];

  app.get(
    '/healthz',
    { schema: { tags, summary: 'Alive', response: { 200: Type.Object({ status: Type.Literal('ok') }) } } },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/readyz',
    {
      schema: { tags, summary: 'Ready: the database answers', response: { 200: Readiness, 503: Readiness } },
    },
    async (_request, reply) => {
      const database = (await ctx.database.ping()) ? 'ok' : 'down';
      const body = { database, redis: ctx.cache.status() } as const;
      return reply.code(database === 'ok' ? 200 : 503).send(body);
    },
  );

  app.get(
    '/metrics',
    { schema: { tags, summary: 'Prometheus metrics', hide: false } },
    async (request, reply) => {
      // METRICS_TOKEN set: scrapers send it as a bearer token; anyone else learns nothing.
      const token = ctx.config.metricsToken;
      if (token !== null && !bearerMatches(request.headers.authorization, token)) {
        throw new DomainError('UNAUTHENTICATED', 'The metrics need the METRICS_TOKEN bearer token');
      }
      return reply.type(ctx.metrics.registry.contentType).send(await ctx.metrics.render());
    },
  );
};
