/**
 * Admin routes (role admin only): the catalog, credit grants, and the console's books check, dashboard
 * and economy. The players' part of the console is in admin-players.routes.ts.
 */
import {
  BooksCheck,
  CatalogItemResponse,
  CatalogList,
  CreateItemBody,
  Dashboard,
  Economy,
  EconomyQuery,
  OptionalReasonBody,
  GrantBody,
  GrantResponse,
  IdempotencyHeaders,
  IdParams,
  ItemIdParams,
  UpdateItemBody,
} from '@metagameplay/protocol';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { bearerAuth, errors, optionalBody } from '../../lib/http';
import { authenticatedPlayer, requireAdmin } from '../auth/authenticate';
import type { AuthService } from '../auth/auth.service';
import type { PlayerService } from '../players/players.service';
import { sendMoneyMove } from '../wallet/wallet.http';
import type { WalletService } from '../wallet/wallet.service';
import type { ConsoleService } from './console.service';

export const adminRoutes: FastifyPluginAsyncTypebox<{
  auth: AuthService;
  players: PlayerService;
  admin: ConsoleService;
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
        description:
          'Adds an item to the catalog (with its translations); a name another item has is a 409 ' +
          'ITEM_NAME_TAKEN. Recorded in the audit log with the reason.',
        body: CreateItemBody,
        response: { 201: CatalogItemResponse, ...errors(400, 401, 403, 409) },
      },
    },
    async (request, reply) =>
      reply.code(201).send({ item: await admin.createItem(authenticatedPlayer(request).id, request.body) }),
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
        description:
          'Changes the name, translations, price or power of an item, in the shop or retired; owners keep ' +
          'what they paid. Every node sees the change at once. Recorded in the audit log.',
        params: ItemIdParams,
        body: UpdateItemBody,
        response: { 200: CatalogItemResponse, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) => ({
      item: await admin.updateItem(authenticatedPlayer(request).id, request.params.id, request.body),
    }),
  );

  app.delete(
    '/admin/items/:id',
    {
      onRequest: preHandler,
      preValidation: optionalBody,
      schema: {
        tags,
        security: bearerAuth,
        operationId: 'retireItem',
        summary: 'Retire an item: it leaves the shop, owners keep it',
        description:
          'Takes an item off sale. Owners keep it and can still sell it. An optional body `{reason}` goes to ' +
          'the audit log.',
        params: ItemIdParams,
        body: OptionalReasonBody,
        response: { 204: Type.Null(), ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const reason = request.body.reason ?? null;
      await admin.setActive(authenticatedPlayer(request).id, request.params.id, false, reason);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/admin/items',
    {
      onRequest: preHandler,
      schema: {
        tags,
        security: bearerAuth,
        operationId: 'listCatalog',
        summary: 'The whole catalog, retired items too',
        description: 'Every item with its translations, price, power and whether it is in the shop.',
        response: { 200: CatalogList, ...errors(400, 401, 403) },
      },
    },
    async () => ({ items: await admin.listItems() }),
  );

  app.post(
    '/admin/items/:id/restore',
    {
      onRequest: preHandler,
      preValidation: optionalBody,
      schema: {
        tags,
        security: bearerAuth,
        operationId: 'restoreItem',
        summary: 'Put a retired item back in the shop',
        description:
          'A retired item goes back on sale; an item in the shop is a 404. Recorded in the audit log.',
        params: ItemIdParams,
        body: OptionalReasonBody,
        response: { 200: CatalogItemResponse, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => ({
      item: await admin.setActive(
        authenticatedPlayer(request).id,
        request.params.id,
        true,
        request.body.reason ?? null,
      ),
    }),
  );

  app.post(
    '/admin/books/check',
    {
      onRequest: preHandler,
      preValidation: optionalBody,
      schema: {
        tags,
        security: bearerAuth,
        operationId: 'checkBooks',
        summary: 'Run the money audit',
        description:
          'The checks of `npm run admin -- audit` over the whole database: balance = Σ ledger, the ' +
          'balance_after chain, items against trades, escrow, the market. Recorded in the audit log.',
        body: OptionalReasonBody,
        response: { 200: BooksCheck, ...errors(400, 401, 403) },
      },
    },
    async (request) => admin.checkBooks(authenticatedPlayer(request).id, request.body.reason ?? null),
  );

  app.get(
    '/admin/dashboard',
    {
      onRequest: preHandler,
      schema: {
        tags,
        security: bearerAuth,
        operationId: 'getDashboard',
        summary: 'Every node’s live figures',
        description:
          'Per node and in total, a point every 2 s over the last 5 minutes: players online, requests, ' +
          'money moves, battles and 5xx answers per second, p50/p99 latency; Postgres and Redis status.',
        response: { 200: Dashboard, ...errors(400, 401, 403) },
      },
    },
    async () => admin.dashboard(),
  );

  app.get(
    '/admin/economy',
    {
      onRequest: preHandler,
      schema: {
        tags,
        security: bearerAuth,
        operationId: 'getEconomy',
        summary: 'The economy per day: supply, credits created and destroyed, trades',
        description:
          'For each of the last 7, 30 or 90 UTC days: the money supply at its end and the ledger rows by ' +
          'type (count and signed sum); the supply and escrow now, and the ten largest balances.',
        querystring: EconomyQuery,
        response: { 200: Economy, ...errors(400, 401, 403) },
      },
    },
    async (request) => admin.economy(request.query.days ?? 30),
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
