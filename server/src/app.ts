/**
 * Builds the Fastify app from a ready AppContext; never listens (main.ts does, tests inject).
 * Registration order: external plugins, app plugins (validation, errors, metrics, rate limits), routes.
 */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { randomBytes } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { AppContext } from './context';
import { adminRoutes } from './features/admin/admin.routes';
import { authRoutes } from './features/auth/auth.routes';
import { opsRoutes } from './features/ops/ops.routes';
import { playerRoutes } from './features/players/players.routes';
import { shopRoutes } from './features/shop/shop.routes';
import { registerErrorHandling } from './plugins/errors';
import { registerRateLimits } from './plugins/rate-limit';
import { rejectUnexpectedBody, validatorCompiler } from './plugins/validation';

export const API_PREFIX = '/api/v1';

/** Request ids: a random prefix per process and a counter, unique across nodes and cheap to make. */
const requestIdPrefix = randomBytes(4).toString('hex');
let requestCounter = 0;
function nextRequestId(): string {
  requestCounter = (requestCounter + 1) % Number.MAX_SAFE_INTEGER;
  return `${requestIdPrefix}-${requestCounter.toString(36)}`;
}

export async function buildApp(
  ctx: AppContext,
  options: { logger?: FastifyServerOptions['logger'] } = {},
): Promise<FastifyInstance> {
  const { services } = ctx;
  const app = Fastify({
    ...(options.logger === undefined ? { loggerInstance: ctx.log } : { logger: options.logger }),
    bodyLimit: ctx.config.bodyLimitBytes,
    trustProxy: ctx.config.trustProxy,
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : nextRequestId();
    },
    requestIdHeader: false,
    forceCloseConnections: 'idle',
    return503OnClosing: true,
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  // Routes that take no body refuse one (see rejectUnexpectedBody); the hook sits only on those routes.
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (route.schema?.body !== undefined || methods.every((m) => m === 'GET' || m === 'HEAD')) return;
    const existing = route.preValidation;
    route.preValidation = [
      ...(Array.isArray(existing) ? existing : existing ? [existing] : []),
      rejectUnexpectedBody,
    ];
  });
  app.decorateRequest('player', null);
  // Synchronous hooks (done callbacks) on the hot path: cheaper than async ones for every request.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'MetaGameplay API',
        version: '1.0.0',
        description: 'A galaxy game economy. Money is integer minor units: 1 credit = 100 units.',
      },
      components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } } },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  registerErrorHandling(app);
  app.addHook('onResponse', (request, reply, done) => {
    ctx.metrics.observeRequest(
      request.method,
      request.routeOptions.url ?? 'unmatched',
      reply.statusCode,
      reply.elapsedTime / 1000,
    );
    done();
  });
  registerRateLimits(app, ctx);

  await app.register(opsRoutes, { ctx });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  await app.register(
    async (api) => {
      await api.register(authRoutes, { ctx, auth: services.auth });
      await api.register(playerRoutes, {
        auth: services.auth,
        players: services.players,
        wallet: services.wallet,
      });
      await api.register(shopRoutes, { auth: services.auth, shop: services.shop, wallet: services.wallet });
      await api.register(adminRoutes, {
        auth: services.auth,
        players: services.players,
        admin: services.admin,
        wallet: services.wallet,
      });
    },
    { prefix: API_PREFIX },
  );
  return app;
}
