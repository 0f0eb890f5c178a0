/** Admin routes: catalog edits and credit grants (role admin only). */
import {
  CreateItemBody,
  GrantBody,
  GrantResponse,
  IdempotencyHeaders,
  IdParams,
  ItemIdParams,
  ItemResponse,
  UpdateItemBody,
} from '@metagameplay/protocol';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../../context';
import { bearerAuth, errors, sendMoneyMove } from '../../lib/http';
import { requireAdmin } from '../../plugins/authenticate';
import type { AuthService } from '../auth/auth.service';
import type { PlayerService } from '../players/players.service';
import { runMoneyMove } from '../wallet/idempotency';
import type { AdminService } from './admin.service';

export const adminRoutes: FastifyPluginAsyncTypebox<{
  ctx: AppContext;
  auth: AuthService;
  players: PlayerService;
  admin: AdminService;
}> = async (app, { ctx, auth, players, admin }) => {
  const preHandler = requireAdmin(auth, players);
  const tags = ['admin'];

  app.post(
    '/admin/items',
    {
      onRequest: preHandler,
      schema: {
        tags,
        security: bearerAuth,
        summary: 'Add an item to the shop',
        body: CreateItemBody,
        response: { 201: ItemResponse, ...errors(400, 401, 403, 409) },
      },
    },
    async (request, reply) => reply.code(201).send({ item: await admin.createItem(request.body) }),
  );

  app.patch(
    '/admin/items/:id',
    {
      onRequest: preHandler,
      schema: {
        tags,
        security: bearerAuth,
        summary: 'Change an item',
        params: ItemIdParams,
        body: UpdateItemBody,
        response: { 200: ItemResponse, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) => ({ item: await admin.updateItem(request.params.id, request.body) }),
  );

  app.delete(
    '/admin/items/:id',
    {
      onRequest: preHandler,
      schema: {
        tags,
        security: bearerAuth,
        summary: 'Retire an item: it leaves the shop, owners keep it',
        params: ItemIdParams,
        response: { 204: Type.Null(), ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await admin.retireItem(request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/admin/players/:id/credits',
    {
      onRequest: preHandler,
      schema: {
        tags,
        security: bearerAuth,
        summary: 'Grant credits to a player',
        params: IdParams,
        headers: IdempotencyHeaders,
        body: GrantBody,
        response: { 200: GrantResponse, ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const playerId = request.params.id;
      const result = await runMoneyMove(
        ctx.database.db,
        {
          // Keys are scoped to the acting admin, like every other key to its player.
          playerId: request.player?.id ?? playerId,
          key: request.headers['idempotency-key'],
          method: 'POST',
          path: `/admin/players/${playerId}/credits`,
          body: request.body,
        },
        async (db) => ({
          statusCode: 200,
          body: await admin.grantCredits(db, playerId, request.body.amount, request.body.reason),
        }),
      );
      return sendMoneyMove(reply, result);
    },
  );
};
