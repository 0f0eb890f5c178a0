/**
 * Builds the Fastify app from a ready AppContext (bootstrap.ts); never listens (main.ts does, tests inject).
 * Registration order: external plugins, app plugins (validation, errors, metrics, rate limits), routes; each
 * route plugin gets the services it uses, nothing more. The background jobs run while the app is up.
 */
import websocket from '@fastify/websocket';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { randomBytes } from 'node:crypto';
import Fastify, {
  type FastifyInstance,
  type FastifyRequest,
  type FastifyServerOptions,
  LogController,
} from 'fastify';
import type { AppContext } from './bootstrap';
import { adminRoutes } from './features/admin/admin.routes';
import { adminPlayersRoutes } from './features/admin/admin-players.routes';
import { authRoutes } from './features/auth/auth.routes';
import { battleRoutes } from './features/battles/battles.routes';
import { marketRoutes } from './features/market/market.routes';
import { matchmakingRoutes } from './features/battles/matchmaking.routes';
import { opsRoutes } from './features/ops/ops.routes';
import { playerRoutes } from './features/players/players.routes';
import { realtimeRoutes } from './features/realtime/realtime.routes';
import { shopRoutes } from './features/shop/shop.routes';
import { webRoutes } from './features/web/web.routes';
import { registerErrorHandling } from './plugins/errors';
import { hardenedServerOptions, registerHttpHardening } from './plugins/http-hardening';
import { registerOpenApi } from './plugins/openapi';
import { type RateLimits, registerRateLimits } from './plugins/rate-limit';
import { rejectUnexpectedBody, validatorCompiler } from './plugins/validation';

export const API_PREFIX = '/api/v1';

/**
 * One line per request at `info`, written by the onResponse hook below when the answer is sent, instead
 * of Fastify's two; the arrival is logged at `debug` only (it helps to see a request that never ends).
 * Fastify's other lines (errors) stay.
 */
class OneLinePerRequest extends LogController {
  override incomingRequest(request: FastifyRequest): void {
    request.log.debug(
      { method: request.method, url: request.url },
      `${request.method} ${request.url} arrived`,
    );
  }
  override requestCompleted(): void {}
}

/** Log levels that write a request's info line. */
const WRITES_INFO = new Set(['info', 'debug', 'trace']);

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
  // Services are built once per context (bootstrap.ts), never per app.
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
    logController: new OneLinePerRequest(),
    forceCloseConnections: 'idle',
    // Requests arriving while closing get 503 SERVICE_UNAVAILABLE in our shape (plugins/http-hardening.ts).
    return503OnClosing: false,
    ...hardenedServerOptions(ctx.config),
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  registerHttpHardening(app);
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

  await registerOpenApi(app);
  // Client messages are small JSON objects: anything larger is refused by the WebSocket layer (close 1009).
  await app.register(websocket, {
    options: { maxPayload: 4096 },
    // Closing the app closes every socket with 1001 "going away" (API.md), before the server stops
    // listening: the plugin's own pre-close would send a close frame with no code, seen as 1005. The jobs
    // stop first, so no presence tick puts this node back after it left.
    preClose(done) {
      ctx.jobs
        .stop()
        .then(() => services.realtime.stop())
        .then(
          () => this.websocketServer.close(() => done()),
          (error: unknown) => done(error as Error),
        );
    },
  });

  registerErrorHandling(app);
  // Synchronous hooks (done callbacks) on the hot path: cheaper than async ones for every request.
  app.addHook('onResponse', (request, reply, done) => {
    // The line is only built when it is written (LOG_LEVEL info or lower).
    if (WRITES_INFO.has(request.log.level)) {
      const ms = Math.round(reply.elapsedTime * 10) / 10;
      request.log.info(
        { method: request.method, url: request.url, statusCode: reply.statusCode, responseTime: ms },
        `${request.method} ${request.url} ${reply.statusCode} ${ms} ms`,
      );
    }
    ctx.metrics.observeRequest(
      request.method,
      request.routeOptions.url ?? 'unmatched',
      reply.statusCode,
      reply.elapsedTime / 1000,
    );
    done();
  });
  const rateLimits: RateLimits = {
    store: ctx.rateLimits,
    rateLimitMax: ctx.config.rateLimitMax,
    authRateLimitMax: ctx.config.authRateLimitMax,
  };
  registerRateLimits(app, rateLimits);
  // The jobs (bootstrap.ts) run while the app serves; closing stops them, then the sockets (1001, this
  // node out of Presence).
  app.addHook('onReady', async () => ctx.jobs.start());
  app.addHook('onClose', async () => {
    await ctx.jobs.stop();
    await services.realtime.stop();
  });

  await app.register(opsRoutes, {
    database: ctx.database,
    cache: ctx.cache,
    metrics: ctx.metrics,
    metricsToken: ctx.config.metricsToken,
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  await app.register(
    async (api) => {
      await api.register(authRoutes, { rateLimits, auth: services.auth });
      await api.register(playerRoutes, {
        auth: services.auth,
        players: services.players,
        wallet: services.wallet,
      });
      await api.register(shopRoutes, { auth: services.auth, shop: services.shop, wallet: services.wallet });
      await api.register(realtimeRoutes, {
        auth: services.auth,
        gateway: services.realtime,
        lobby: services.lobby,
      });
      await api.register(matchmakingRoutes, { auth: services.auth, matchmaking: services.matchmaking });
      await api.register(battleRoutes, { auth: services.auth, battles: services.battles });
      await api.register(marketRoutes, { auth: services.auth, market: services.market });
      await api.register(adminRoutes, {
        auth: services.auth,
        players: services.players,
        admin: services.admin,
        wallet: services.wallet,
      });
      await api.register(adminPlayersRoutes, {
        auth: services.auth,
        players: services.players,
        wallet: services.wallet,
        adminPlayers: services.adminPlayers,
      });
    },
    { prefix: API_PREFIX },
  );
  // The browser game last: its fallback route never takes a path the routes above answer.
  await app.register(webRoutes, { distDir: ctx.config.webDistDir });
  return app;
}
