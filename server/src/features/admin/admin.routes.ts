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
        operationId: 'createItem',
        summary: 'Add an item to the shop',
        description: 'Adds an item to the catalog; a name another item has is a 409 ITEM_NAME_TAKEN.',
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
        operationId: 'updateItem',
        summary: 'Change an item',
        description: 'Changes the name, price or power of an item; owners keep what they paid.',
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
        operationId: 'retireItem',
        summary: 'Retire an item: it leaves the shop, owners keep it',
        description: 'Takes an item off sale. Owners keep it and can still sell it.',
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
        operationId: 'grantCredits',
        summary: 'Grant credits to a player',
        description:
          'Credits a player (an `admin_grant` ledger row with the reason). Send an `Idempotency-Key` to ' +
          'retry safely; the key belongs to the acting admin.',
        params: IdParams,
        headers: IdempotencyHeaders,
        body: GrantBody,
        response: { 200: GrantResponse, ...errors(400, 401, 403, 404, 409) },
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
