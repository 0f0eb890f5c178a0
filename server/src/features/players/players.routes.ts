/** Routes of the player's own data, its sales, and public profiles. */
import {
  BalanceResponse,
  IdempotencyHeaders,
  IdParams,
  ItemIdParam,
  OwnedItemPage,
  PageQuery,
  PrivatePlayer,
  PublicPlayer,
  SellResponse,
  TransactionPage,
} from '@metagameplay/protocol';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../context';
import { requestLanguage } from '../../lib/language';
import { bearerAuth, errors, sendMoneyMove } from '../../lib/http';
import { authenticatedPlayer, requirePlayer } from '../../plugins/authenticate';
import type { AuthService } from '../auth/auth.service';
import type { ShopService } from '../shop/shop.service';
import { runMoneyMove } from '../wallet/idempotency';
import type { PlayerService } from './players.service';

export const playerRoutes: FastifyPluginAsyncTypebox<{
  ctx: AppContext;
  auth: AuthService;
  players: PlayerService;
  shop: ShopService;
}> = async (app, { ctx, auth, players, shop }) => {
  const preHandler = requirePlayer(auth);
  const tags = ['player'];

  app.get(
    '/me',
    {
      onRequest: preHandler,
      schema: {
        tags,
        security: bearerAuth,
        operationId: 'getMe',
        summary: 'Your private profile',
        description: 'Your profile with balance, power, rating and item count.',
        response: { 200: PrivatePlayer, ...errors(401) },
      },
    },
    async (request) => players.privateProfile(authenticatedPlayer(request).id),
  );

  app.get(
    '/me/balance',
    {
      onRequest: preHandler,
      schema: {
        tags,
        security: bearerAuth,
        operationId: 'getBalance',
        summary: 'Your balance',
        description: 'Your balance in minor units, read from the database (never cached).',
        response: { 200: BalanceResponse, ...errors(401) },
      },
    },
    async (request) => players.balance(authenticatedPlayer(request).id),
  );

  app.get(
    '/me/items',
    {
      onRequest: preHandler,
      schema: {
        tags,
        security: bearerAuth,
        operationId: 'listMyItems',
        summary: 'Your items',
        description: 'The items you own, by id, a page at a time (`limit`, `cursor`).',
        querystring: PageQuery,
        response: { 200: OwnedItemPage, ...errors(400, 401) },
      },
    },
    async (request, reply) => {
      void reply.header('vary', 'Accept-Language');
      return players.items(authenticatedPlayer(request).id, request.query, requestLanguage(request));
    },
  );

  app.post(
    '/me/items/:itemId/sell',
    {
      onRequest: preHandler,
      schema: {
        tags,
        security: bearerAuth,
        operationId: 'sellItem',
        summary: 'Sell an item you own for its sell price',
        description:
          'Sells an item you own for its `sellPrice` (a share of its price). Send an `Idempotency-Key` to ' +
          'retry safely: the same key replays the first answer.',
        params: ItemIdParam,
        headers: IdempotencyHeaders,
        response: { 200: SellResponse, ...errors(400, 401, 404, 409) },
      },
    },
    async (request, reply) => {
      const playerId = authenticatedPlayer(request).id;
      const { itemId } = request.params;
      const result = await runMoneyMove(
        ctx.database.db,
        {
          playerId,
          key: request.headers['idempotency-key'],
          method: 'POST',
          path: `/me/items/${itemId}/sell`,
          body: null,
        },
        async (db) => ({ statusCode: 200, body: await shop.sell(db, playerId, itemId) }),
      );
      return sendMoneyMove(reply, result);
    },
  );

  app.get(
    '/me/transactions',
    {
      onRequest: preHandler,
      schema: {
        tags,
        security: bearerAuth,
        operationId: 'listMyTransactions',
        summary: 'Your ledger, newest first',
        description: 'Every change of your balance, newest first, a page at a time (`limit`, `cursor`).',
        querystring: PageQuery,
        response: { 200: TransactionPage, ...errors(400, 401) },
      },
    },
    async (request, reply) => {
      void reply.header('vary', 'Accept-Language');
      return players.transactions(authenticatedPlayer(request).id, request.query, requestLanguage(request));
    },
  );

  app.get(
    '/players/:id',
    {
      onRequest: preHandler,
      schema: {
        tags,
        security: bearerAuth,
        operationId: 'getPlayer',
        summary: 'A public profile',
        description: 'What anyone signed in may see of a player: nickname, power, rating, online.',
        params: IdParams,
        response: { 200: PublicPlayer, ...errors(400, 401, 404) },
      },
    },
    async (request) => players.publicProfile(request.params.id),
  );
};
