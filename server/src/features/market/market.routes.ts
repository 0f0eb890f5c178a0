/**
 * Market routes (API.md "Market between players"): list, cancel and buy — money moves that take an
 * Idempotency-Key like the shop's buy and sell, answered with the exact bytes of their first answer — and
 * the reads: the active listings (keyset pages) and the caller's own. The expiry sweep is a background job
 * (bootstrap.ts).
 */
import {
  BuyListingBody,
  BuyListingResponse,
  CreateListingBody,
  IdempotencyHeaders,
  IdParams,
  LangQuery,
  ListingPage,
  ListingQuery,
  ListingResponse,
  MyListings,
} from '@metagameplay/protocol';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { bearerAuth, errors, optionalBody } from '../../lib/http';
import { requestLanguage } from '../../lib/language';
import { authenticatedPlayer, requirePlayer } from '../auth/authenticate';
import type { AuthService } from '../auth/auth.service';
import { sendMoneyMove } from '../wallet/wallet.http';
import type { MarketService } from './market.service';

const tags = ['market'];
const REFUSALS =
  'Refusals (409): `OWN_LISTING`, `ALREADY_OWNED`, `PRICE_CHANGED`, `INSUFFICIENT_FUNDS`, ' +
  '`LISTING_NOT_ACTIVE` (sold, cancelled or expired: `details.status`), `BALANCE_LIMIT`; 404 `NOT_FOUND`.';

export const marketRoutes: FastifyPluginAsyncTypebox<{ auth: AuthService; market: MarketService }> = async (
  app,
  { auth, market },
) => {
  const onRequest = requirePlayer(auth);

  app.post(
    '/market/listings',
    {
      onRequest,
      schema: {
        tags,
        security: bearerAuth,
        operationId: 'createListing',
        summary: 'Put an item you own on sale to other pilots; it is held in escrow',
        description:
          'The item leaves your inventory into the listing (shown in the inventory with its `listingId`; ' +
          'not sellable to the shop, not listable twice, not counting for battle power) until it is sold, ' +
          'cancelled or expires (MARKET_LISTING_TTL_SECONDS). At most 20 active listings. Refusals: 409 ' +
          '`NOT_OWNED` (not yours, or already listed: `details.listed`), 409 `TOO_MANY_LISTINGS`, 404 ' +
          '`ITEM_NOT_FOUND`, 400 for a price out of bounds. Send an `Idempotency-Key` to retry safely.',
        querystring: LangQuery,
        headers: IdempotencyHeaders,
        body: CreateListingBody,
        response: { 201: ListingResponse, ...errors(400, 401, 404, 409, 429) },
      },
    },
    async (request, reply) =>
      sendMoneyMove(
        reply,
        await market.list(
          authenticatedPlayer(request).id,
          request.body,
          request.headers['idempotency-key'],
          requestLanguage(request),
        ),
      ),
  );

  app.delete(
    '/market/listings/:id',
    {
      onRequest,
      schema: {
        tags,
        security: bearerAuth,
        operationId: 'cancelListing',
        summary: 'Cancel your active listing; the item comes back to your inventory',
        description:
          'Refusals: 404 `NOT_FOUND` (no listing of yours), 409 `LISTING_NOT_ACTIVE` (already sold, ' +
          'cancelled or expired). Send an `Idempotency-Key` to retry safely.',
        params: IdParams,
        querystring: LangQuery,
        headers: IdempotencyHeaders,
        response: { 200: ListingResponse, ...errors(400, 401, 404, 409, 429) },
      },
    },
    async (request, reply) =>
      sendMoneyMove(
        reply,
        await market.cancel(
          authenticatedPlayer(request).id,
          request.params.id,
          request.headers['idempotency-key'],
          requestLanguage(request),
        ),
      ),
  );

  app.post(
    '/market/listings/:id/buy',
    {
      onRequest,
      preValidation: optionalBody,
      schema: {
        tags,
        security: bearerAuth,
        operationId: 'buyListing',
        summary: "Buy another pilot's listing",
        description:
          'You pay the price (`market_purchase`); the seller gets the price (`market_sale`) minus the fee ' +
          '(`market_fee`, MARKET_FEE_PERCENT of the price rounded down); the item moves to your inventory; ' +
          'the seller gets `market.sold` and both get `balance` over the WebSocket. Exactly once: of a buy ' +
          'racing another buy, a cancel or the expiry, one wins and the others are refused. ' +
          `${REFUSALS} Send an \`Idempotency-Key\` to retry safely.`,
        params: IdParams,
        querystring: LangQuery,
        headers: IdempotencyHeaders,
        body: BuyListingBody,
        response: { 200: BuyListingResponse, ...errors(400, 401, 404, 409, 429) },
      },
    },
    async (request, reply) =>
      sendMoneyMove(
        reply,
        await market.buy(
          authenticatedPlayer(request).id,
          request.params.id,
          request.body,
          request.headers['idempotency-key'],
          requestLanguage(request),
        ),
      ),
  );

  app.get(
    '/market/listings',
    {
      onRequest,
      schema: {
        tags,
        security: bearerAuth,
        operationId: 'listListings',
        summary: 'Active listings: cheapest first (`sort=price`) or newest first (`sort=newest`)',
        description:
          'Keyset pages (`nextCursor`); `itemId` keeps one item, `search` matches item names in any ' +
          'language; names are in the language of `?lang=` or `Accept-Language`.',
        querystring: ListingQuery,
        response: { 200: ListingPage, ...errors(400, 401) },
      },
    },
    async (request) => market.browse(request.query, requestLanguage(request)),
  );

  app.get(
    '/market/listings/mine',
    {
      onRequest,
      schema: {
        tags,
        security: bearerAuth,
        operationId: 'listMyListings',
        summary: 'Your listings (every status), newest first',
        querystring: LangQuery,
        response: { 200: MyListings, ...errors(400, 401) },
      },
    },
    async (request) => market.mine(authenticatedPlayer(request).id, requestLanguage(request)),
  );
};
