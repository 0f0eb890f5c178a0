/** Routes of the shop: the public catalog (with ETag/304) and purchases. */
import {
  BuyBody,
  BuyResponse,
  IdempotencyHeaders,
  ItemIdParams,
  LangQuery,
  ShopItem,
  ShopPage,
  ShopQuery,
} from '@metagameplay/protocol';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requestLanguage } from '../../lib/language';
import { bearerAuth, errors, sendJsonText, optionalBody } from '../../lib/http';
import { authenticatedPlayer, requirePlayer } from '../auth/authenticate';
import type { AuthService } from '../auth/auth.service';
import { sendMoneyMove } from '../wallet/wallet.http';
import type { WalletService } from '../wallet/wallet.service';
import type { ShopService } from './shop.service';

export const shopRoutes: FastifyPluginAsyncTypebox<{
  auth: AuthService;
  shop: ShopService;
  wallet: WalletService;
}> = async (app, { auth, shop, wallet }) => {
  const tags = ['shop'];

  app.get(
    '/shop/items',
    {
      schema: {
        tags,
        operationId: 'listItems',
        summary: 'The catalog, by id; public; ETag and If-None-Match supported',
        description:
          'The items on sale, by id, a page at a time; `search` matches names. Send the `ETag` back in ' +
          '`If-None-Match` to get a 304 while the catalog is unchanged.',
        security: [],
        querystring: ShopQuery,
        response: { 200: ShopPage, 304: Type.Null(), ...errors(400) },
      },
    },
    async (request, reply) => {
      const page = await shop.page(request.query, requestLanguage(request));
      // Names follow the language asked for, so caches must keep one copy per Accept-Language.
      void reply
        .header('etag', page.etag)
        .header('cache-control', 'no-cache')
        .header('vary', 'Accept-Language');
      const match = request.headers['if-none-match'];
      if (match && match.split(',').some((tag) => tag.trim().replace(/^W\//, '') === page.etag)) {
        return sendJsonText(reply, 304, '');
      }
      return sendJsonText(reply, 200, page.body);
    },
  );

  app.get(
    '/shop/items/:id',
    {
      schema: {
        tags,
        operationId: 'getItem',
        summary: 'One catalog item',
        description: 'One item on sale; a retired or unknown id is a 404 ITEM_NOT_FOUND.',
        security: [],
        params: ItemIdParams,
        querystring: LangQuery,
        response: { 200: ShopItem, ...errors(400, 404) },
      },
    },
    async (request, reply) => {
      void reply.header('vary', 'Accept-Language');
      return shop.item(request.params.id, requestLanguage(request));
    },
  );

  app.post(
    '/shop/items/:id/buy',
    {
      onRequest: requirePlayer(auth),
      preValidation: optionalBody,
      schema: {
        tags,
        security: bearerAuth,
        operationId: 'buyItem',
        summary: 'Buy an item (at most one of each)',
        description:
          'Buys one item at its catalog price. The body is optional; `expectedPrice` refuses the purchase ' +
          '(409 PRICE_CHANGED) if the price moved. Item names are in the language of `?lang=` or ' +
          '`Accept-Language`, as in the shop. Send an `Idempotency-Key` to retry safely: the same key ' +
          "replays the first answer (in the first request's language).",
        params: ItemIdParams,
        querystring: LangQuery,
        headers: IdempotencyHeaders,
        body: BuyBody,
        response: { 200: BuyResponse, ...errors(400, 401, 404, 409, 429) },
      },
    },
    async (request, reply) => {
      const answer = await wallet.purchase(
        authenticatedPlayer(request).id,
        request.params.id,
        request.body.expectedPrice,
        request.headers['idempotency-key'],
        requestLanguage(request),
      );
      return sendMoneyMove(reply, answer);
    },
  );
};
