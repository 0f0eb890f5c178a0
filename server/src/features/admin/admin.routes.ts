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
import { Type } from 'typebox';
import { bearerAuth, errors } from '../../lib/http';
import { authenticatedPlayer, requireAdmin } from '../auth/authenticate';
import type { AuthService } from '../auth/auth.service';
import type { PlayerService } from '../players/players.service';
import { sendMoneyMove } from '../wallet/wallet.http';
import type { WalletService } from '../wallet/wallet.service';
import type { AdminService } from './admin.service';

export const adminRoutes: FastifyPluginAsyncTypebox<{
  auth: AuthService;
  players: PlayerService;
  admin: AdminService;
  wallet: WalletService;
}> = async (app, { auth, players, admin, wallet }) => {
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
        response: { 200: GrantResponse, ...errors(400, 401, 403, 404, 409, 429) },
      },
    },
    async (request, reply) => {
      const answer = await wallet.grant(
        authenticatedPlayer(request).id,
        request.params.id,
        request.body.amount,
        request.body.reason,
        request.headers['idempotency-key'],
      );
      return sendMoneyMove(reply, answer);
    },
  );
};
