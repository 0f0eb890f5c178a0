/**
 * Battle routes (API.md "Battles"): challenge, accept, decline, cancel — money moves that take an
 * Idempotency-Key like buy and sell, answered with the exact bytes of their first answer — and the reads:
 * the player's battles, one battle, the leaderboard. The expiry sweep is a background job (bootstrap.ts).
 */
import {
  AcceptBattleBody,
  BattlePage,
  BattleResponse,
  CreateBattleBody,
  IdempotencyHeaders,
  IdParams,
  LeaderboardPage,
  LeaderboardQuery,
  PageQuery,
} from '@metagameplay/protocol';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { bearerAuth, errors, optionalBody } from '../../lib/http';
import { authenticatedPlayer, requirePlayer } from '../auth/authenticate';
import type { AuthService } from '../auth/auth.service';
import { sendMoneyMove } from '../wallet/wallet.http';
import type { BattleService } from './battles.service';

const tags = ['battles'];

export const battleRoutes: FastifyPluginAsyncTypebox<{ auth: AuthService; battles: BattleService }> = async (
  app,
  { auth, battles },
) => {
  const onRequest = requirePlayer(auth);

  app.post(
    '/battles',
    {
      onRequest,
      schema: {
        tags,
        security: bearerAuth,
        operationId: 'createBattle',
        summary: 'Challenge an online pilot, with a stake held in escrow',
        description:
          "Holds the challenger's stake at once (`battle_stake`) and sends `battle.challenge` to both " +
          'players. The opponent must be online; at most 5 pending challenges, one per opponent. Send an ' +
          '`Idempotency-Key` to retry safely.',
        headers: IdempotencyHeaders,
        body: CreateBattleBody,
        response: { 201: BattleResponse, ...errors(400, 401, 404, 409, 429, 503) },
      },
    },
    async (request, reply) =>
      sendMoneyMove(
        reply,
        await battles.challenge(
          authenticatedPlayer(request).id,
          request.body,
          request.headers['idempotency-key'],
        ),
      ),
  );

  app.post(
    '/battles/:id/accept',
    {
      onRequest,
      preValidation: optionalBody,
      schema: {
        tags,
        security: bearerAuth,
        operationId: 'acceptBattle',
        summary: 'Accept a challenge (the challenged pilot only): it is fought at once',
        description:
          "Holds the opponent's stake, resolves the battle from both powers at this moment and pays both " +
          'stakes to the winner; Elo (K = 32) moves the ratings. `clientSeed` adds your randomness to the ' +
          'outcome (see `verifyBattle`).',
        params: IdParams,
        headers: IdempotencyHeaders,
        body: AcceptBattleBody,
        response: { 200: BattleResponse, ...errors(400, 401, 403, 404, 409, 429) },
      },
    },
    async (request, reply) =>
      sendMoneyMove(
        reply,
        await battles.accept(
          authenticatedPlayer(request).id,
          request.params.id,
          request.body,
          request.headers['idempotency-key'],
        ),
      ),
  );

  for (const [action, summary] of [
    ['decline', 'Decline a challenge (the challenged pilot only); the stake goes back'],
    ['cancel', 'Cancel your challenge (the challenger only); the stake goes back'],
  ] as const) {
    app.post(
      `/battles/:id/${action}`,
      {
        onRequest,
        schema: {
          tags,
          security: bearerAuth,
          operationId: `${action}Battle`,
          summary,
          params: IdParams,
          headers: IdempotencyHeaders,
          response: { 200: BattleResponse, ...errors(400, 401, 403, 404, 409, 429) },
        },
      },
      async (request, reply) =>
        sendMoneyMove(
          reply,
          await battles.end(
            authenticatedPlayer(request).id,
            request.params.id,
            action,
            request.headers['idempotency-key'],
          ),
        ),
    );
  }

  app.get(
    '/battles',
    {
      onRequest,
      schema: {
        tags,
        security: bearerAuth,
        operationId: 'listMyBattles',
        summary: 'Your battles, newest first',
        querystring: PageQuery,
        response: { 200: BattlePage, ...errors(400, 401) },
      },
    },
    async (request) => battles.list(authenticatedPlayer(request).id, request.query),
  );

  app.get(
    '/battles/:id',
    {
      onRequest,
      schema: {
        tags,
        security: bearerAuth,
        operationId: 'getBattle',
        summary: 'One of your battles',
        params: IdParams,
        response: { 200: BattleResponse, ...errors(400, 401, 404) },
      },
    },
    async (request) => ({ battle: await battles.get(authenticatedPlayer(request).id, request.params.id) }),
  );

  app.get(
    '/leaderboard',
    {
      onRequest,
      schema: {
        tags,
        security: bearerAuth,
        operationId: 'leaderboard',
        summary: 'Pilots by rating, highest first',
        querystring: LeaderboardQuery,
        response: { 200: LeaderboardPage, ...errors(400, 401) },
      },
    },
    async (request) => battles.leaderboard(request.query),
  );
};
