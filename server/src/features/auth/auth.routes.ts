/** Routes of accounts and sessions: register, login, logout. */
import { Credentials, SessionResponse } from '@metagameplay/protocol';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { authenticatedPlayer, requirePlayer } from './authenticate';
import { authRateLimit, type RateLimits } from '../../plugins/rate-limit';
import { bearerAuth, errors } from '../../lib/http';
import type { AuthService } from './auth.service';

export const authRoutes: FastifyPluginAsyncTypebox<{ rateLimits: RateLimits; auth: AuthService }> = async (
  app,
  { rateLimits, auth },
) => {
  const limit = authRateLimit(rateLimits);

  app.post(
    '/auth/register',
    {
      onRequest: limit,
      schema: {
        tags: ['auth'],
        operationId: 'register',
        summary: 'Create a pilot; grants the login bonus and opens a session',
        description:
          'Registers a new pilot (nickname rules: see the Credentials schema), pays the first login bonus ' +
          'and returns a bearer token. A nickname that is taken, or looks like a taken one, is a 409.',
        security: [],
        body: Credentials,
        response: { 201: SessionResponse, ...errors(400, 409, 429) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await auth.register(request.body.nickname, request.body.password)),
  );

  app.post(
    '/auth/login',
    {
      onRequest: limit,
      schema: {
        tags: ['auth'],
        operationId: 'login',
        summary: 'Sign in; grants the login bonus and opens a session',
        description:
          'Checks the password, pays the login bonus and returns a new bearer token. Five wrong passwords ' +
          'for one nickname from one address lock that pair (the 6th attempt is a 429); fifty from all ' +
          'addresses lock the nickname. A banned pilot gets 403 PLAYER_BANNED (with the reason and the end).',
        security: [],
        body: Credentials,
        response: { 200: SessionResponse, ...errors(400, 401, 403, 404, 429) },
      },
    },
    async (request) => auth.login(request.body.nickname, request.body.password, request.ip),
  );

  app.post(
    '/auth/logout',
    {
      onRequest: requirePlayer(auth),
      schema: {
        tags: ['auth'],
        operationId: 'logout',
        summary: 'Revoke the token at once',
        description: 'Ends the session of the token sent: it is refused at once, on every server node.',
        security: bearerAuth,
        response: { 204: Type.Null(), ...errors(401) },
      },
    },
    async (request, reply) => {
      await auth.logout(authenticatedPlayer(request));
      return reply.code(204).send(null);
    },
  );
};
