/**
 * Routes of the real-time part: the WebSocket endpoint, the lobby and quick match. The gateway and the
 * matchmaker start with the app and stop when it closes (sockets closed with 1001, this node removed
 * from Presence). Gauges: open sockets on this node, players in the quick-match queue.
 */
import type { Duplex } from 'node:stream';
import { ErrorBody, LobbyPage, MatchmakingBody, MatchmakingQueued, PageQuery } from '@metagameplay/protocol';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { Gauge } from 'prom-client';
import type { ServiceContext } from '../../context';
import { DomainError } from '../../lib/domain-error';
import { refuseOnSocket } from '../../plugins/http-hardening';
import { bearerAuth, errors } from '../../lib/http';
import { authenticatedPlayer, bearerToken, requirePlayer } from '../auth/authenticate';
import type { AuthService } from '../auth/auth.service';
import type { RealtimeGateway } from './gateway';
import type { LobbyService } from './lobby.service';
import type { MatchmakingService } from './matchmaking.service';

/** How often each node looks for quick-match pairs (also right after every join). */
const MATCH_INTERVAL_MS = 1_000;

export const realtimeRoutes: FastifyPluginAsyncTypebox<{
  ctx: ServiceContext;
  auth: AuthService;
  gateway: RealtimeGateway;
  lobby: LobbyService;
  matchmaking: MatchmakingService;
}> = async (app, { ctx, auth, gateway, lobby, matchmaking }) => {
  const preHandler = requirePlayer(auth);

  gauge(ctx, 'websocket_open_sockets', 'WebSockets open on this node', () => gateway.openSockets);
  gauge(ctx, 'matchmaking_queue_length', 'Players waiting for a quick match (all nodes)', () =>
    ctx.matchQueue.length(),
  );
  gateway.onOffline = (playerId) => {
    void matchmaking.leave(playerId).catch(() => undefined);
  };
  app.addHook('onReady', async () => {
    gateway.start();
    matchmaking.start(MATCH_INTERVAL_MS);
  });
  app.addHook('onClose', async () => {
    await matchmaking.stop();
    await gateway.stop();
  });

  // An upgrade the WebSocket server refuses (no Upgrade: websocket, a bad key or version) is answered in
  // our shape rather than the ws package's text/html.
  app.websocketServer.on('wsClientError', (error: Error, socket: Duplex) => {
    refuseOnSocket(
      socket,
      'VALIDATION_ERROR',
      error.message,
      /Version/.test(error.message) ? { 'Sec-WebSocket-Version': '13, 8' } : {},
    );
  });

  app.route({
    method: 'GET',
    url: '/ws',
    schema: { hide: true },
    // A bearer header is checked before the upgrade (a bad one gets a plain 401); without one, the
    // socket opens and must authenticate with its first message.
    onRequest: async (request) => {
      if (request.headers.authorization === undefined) return;
      const token = bearerToken(request);
      const player = token ? await auth.authenticate(token) : null;
      if (!player) throw new DomainError('UNAUTHENTICATED', 'The token is invalid, expired or revoked');
      request.player = player;
    },
    wsHandler: (socket, request) => gateway.accept(socket, request.player),
    // A plain GET (no Upgrade): a 404 like any unknown page, in our shape (@fastify/websocket's own is empty).
    handler: () => {
      throw new DomainError('NOT_FOUND', 'This is the WebSocket endpoint: connect with Upgrade: websocket');
    },
  });

  app.get(
    '/lobby',
    {
      onRequest: preHandler,
      schema: {
        tags: ['battles'],
        security: bearerAuth,
        summary: 'Online players (self excluded), by id',
        querystring: PageQuery,
        response: { 200: LobbyPage, ...errors(400, 401) },
      },
    },
    async (request) => lobby.page(authenticatedPlayer(request).id, request.query),
  );

  app.post(
    '/matchmaking',
    {
      onRequest: preHandler,
      schema: {
        tags: ['battles'],
        security: bearerAuth,
        summary: 'Join the quick-match queue for a stake (needs an open WebSocket)',
        body: MatchmakingBody,
        response: {
          202: MatchmakingQueued,
          ...errors(400, 401, 503),
          409: {
            ...ErrorBody,
            'x-response-description':
              'No WebSocket of yours is open (`PLAYER_OFFLINE`), or the stake is over your balance (`INSUFFICIENT_FUNDS`)',
          },
        },
      },
    },
    async (request, reply) => {
      const queued = await matchmaking.join(authenticatedPlayer(request).id, request.body.stake);
      return reply.code(202).send(queued);
    },
  );

  app.delete(
    '/matchmaking',
    {
      onRequest: preHandler,
      schema: {
        tags: ['battles'],
        security: bearerAuth,
        summary: 'Leave the quick-match queue',
        response: { 204: Type.Null(), ...errors(401, 503) },
      },
    },
    async (request, reply) => {
      await matchmaking.leave(authenticatedPlayer(request).id);
      return reply.code(204).send(null);
    },
  );
};

/** A gauge read at scrape time, registered once per registry (an app rebuilt on one context replaces it). */
function gauge(ctx: ServiceContext, name: string, help: string, read: () => number | Promise<number>): void {
  ctx.metrics.registry.removeSingleMetric(name);
  new Gauge({
    name,
    help,
    registers: [ctx.metrics.registry],
    async collect() {
      try {
        this.set(await read());
      } catch {
        // The queue backend is down: the gauge keeps its last value.
      }
    },
  });
}
