/** Routes of the player's own data, its sales, and public profiles. */
import {
  BalanceResponse,
  IdempotencyHeaders,
  IdParams,
  ItemIdParam,
  LangQuery,
  OwnedItemPage,
  PageQuery,
  PrivatePlayer,
  PublicPlayer,
  SellResponse,
  TransactionPage,
} from '@metagameplay/protocol';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requestLanguage } from '../../lib/language';
import { bearerAuth, errors } from '../../lib/http';
import { authenticatedPlayer, requirePlayer } from '../auth/authenticate';
import type { AuthService } from '../auth/auth.service';
import { sendMoneyMove } from '../wallet/wallet.http';
import type { WalletService } from '../wallet/wallet.service';
import type { PlayerService } from './players.service';

export const playerRoutes: FastifyPluginAsyncTypebox<{
  auth: AuthService;
  players: PlayerService;
  wallet: WalletService;
}> = async (app, { auth, players, wallet }) => {
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
          'Sells an item you own for its `sellPrice` (a share of its price). Item names are in the language ' +
          'of `?lang=` or `Accept-Language`, as in the shop. Send an `Idempotency-Key` to retry safely: ' +
          "the same key replays the first answer (in the first request's language).",
        params: ItemIdParam,
        querystring: LangQuery,
        headers: IdempotencyHeaders,
        response: { 200: SellResponse, ...errors(400, 401, 404, 409, 429) },
      },
    },
    async (request, reply) => {
      const answer = await wallet.sale(
        authenticatedPlayer(request).id,
        request.params.itemId,
        request.headers['idempotency-key'],
        requestLanguage(request),
      );
      return sendMoneyMove(reply, answer);
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
