/** Routes of accounts and sessions: register, login, logout. */
import { Credentials, SessionResponse } from '@metagameplay/protocol';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../../context';
import { authenticatedPlayer, requirePlayer } from './authenticate';
import { authRateLimit } from '../../plugins/rate-limit';
import { bearerAuth, errors } from '../../lib/http';
import type { AuthService } from './auth.service';

export const authRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext; auth: AuthService }> = async (
  app,
  { ctx, auth },
) => {
  const limit = authRateLimit(ctx);

  app.post(
    '/auth/register',
    {
      onRequest: limit,
      schema: {
        tags: ['auth'],
        summary: 'Create a pilot; grants the login bonus and opens a session',
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
        summary: 'Sign in; grants the login bonus and opens a session',
        body: Credentials,
        response: { 200: SessionResponse, ...errors(400, 401, 404, 429) },
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
        summary: 'Revoke the token at once',
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
