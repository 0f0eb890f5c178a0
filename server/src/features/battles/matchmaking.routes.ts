/** Routes of quick match: join and leave the queue (the pairing runs as a background job, bootstrap.ts). */
import { ErrorBody, MatchmakingBody, MatchmakingQueued } from '@metagameplay/protocol';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { bearerAuth, errors } from '../../lib/http';
import { authenticatedPlayer, requirePlayer } from '../auth/authenticate';
import type { AuthService } from '../auth/auth.service';
import type { MatchmakingService } from './matchmaking.service';

export const matchmakingRoutes: FastifyPluginAsyncTypebox<{
  auth: Pick<AuthService, 'authenticate'>;
  matchmaking: Pick<MatchmakingService, 'join' | 'leave'>;
}> = async (app, { auth, matchmaking }) => {
  const preHandler = requirePlayer(auth);

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
