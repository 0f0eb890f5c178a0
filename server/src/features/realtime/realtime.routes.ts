/**
 * Routes of the real-time part: the WebSocket endpoint and the lobby. The gateway stops when the app
 * closes (sockets closed with 1001, this node removed from Presence); its jobs are bootstrap.ts's.
 */
import type { Duplex } from 'node:stream';
import { LobbyPage, PageQuery } from '@metagameplay/protocol';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { DomainError } from '../../lib/domain-error';
import { bearerAuth, errors } from '../../lib/http';
import { refuseOnSocket } from '../../plugins/http-hardening';
import { authenticatedPlayer, bearerToken, requirePlayer } from '../auth/authenticate';
import type { AuthService } from '../auth/auth.service';
import type { RealtimeGateway } from './gateway';
import type { LobbyService } from './lobby.service';

export const realtimeRoutes: FastifyPluginAsyncTypebox<{
  auth: Pick<AuthService, 'authenticate'>;
  gateway: Pick<RealtimeGateway, 'accept'>;
  lobby: LobbyService;
}> = async (app, { auth, gateway, lobby }) => {
  const preHandler = requirePlayer(auth);

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
    wsHandler: (socket, request) => gateway.accept(socket, request.player, request.raw.socket),
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
};
