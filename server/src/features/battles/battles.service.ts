/**
 * Battles (API.md "Battles"): challenges with stakes in escrow, accept / decline / cancel, expiry, quick
 * match's resolution, the player's battles and the leaderboard.
 *
 * Every move is one money statement (battles.repository.ts, drizzle/0005_battles.sql) run through the
 * wallet's keyed-move primitive (its in-flight bound and Idempotency-Key), the battle row and both players
 * locked in a fixed order, so each transition happens exactly once whatever races between nodes. This
 * service adds what lives outside Postgres: the server seed (drawn here, shown only as its hash until the
 * battle is resolved), whether the opponent is online (Presence), and the events (`battle.*` to both
 * players, `balance` through the wallet) that reach them on whichever node they are. Every node sweeps
 * overdue challenges in a background job (bootstrap.ts) and once at start, so stakes left in escrow by a
 * crash are refunded after a restart.
 */
import { randomBytes } from 'node:crypto';
import type {
  Battle,
  BattlePage,
  CreateBattleBody,
  ErrorCode,
  LeaderboardPage,
} from '@metagameplay/protocol';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../../config';
import type { Database } from '../../db/client';
import type { Events } from '../../infra/events';
import type { Metrics } from '../../infra/metrics';
import type { Presence } from '../../infra/presence';
import { decodeCursor, encodeCursor } from '../../lib/cursor';
import { DomainError } from '../../lib/domain-error';
import type { PendingChallenges } from '../realtime/gateway';
import type { MoveRequest } from '../wallet/idempotency';
import type { KeyedMoves, MoneyMoveResponse } from '../wallet/wallet.service';
import { answerOf } from '../wallet/move-answer';
import type { KeyArgs } from '../wallet/wallet.repository';
import type { MatchResolver } from './matchmaking.service';
import {
  battleAccept,
  battleChallenge,
  battleEnd,
  battleMatch,
  type BattleMoveRow,
  expireDueBattles,
  findBattle,
  leaderboard,
  listBattles,
  pendingBattles,
} from './battles.repository';

/** A challenger holds at most this many pending challenges (API.md). */
export const MAX_PENDING_CHALLENGES = 5;
/** `hello` lists at most this many pending battles. */
const MAX_PENDING_SHOWN = 100;
/** The sweep expires at most this many challenges per statement (then runs again). */
const SWEEP_BATCH = 100;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** The channels that carry a battle to its two players (the same payload on each). */
type BattleChannel = 'battle.challenge' | 'battle.resolved' | 'battle.cancelled';

/** A battle move's answer, with the battle as it stands after the move (null: no battle changed). */
export interface BattleMoveResponse extends MoneyMoveResponse {
  battle: Battle | null;
  /** Other battles the move ended on the way (an overdue challenge a new one replaced). */
  ended?: Battle[];
}

export interface BattleDeps {
  wallet: KeyedMoves;
  database: Pick<Database, 'query'>;
  presence: Pick<Presence, 'isOnline'>;
  events: Pick<Events, 'publish'>;
  metrics: Pick<Metrics, 'battles'>;
  config: Pick<Config, 'battleChallengeTtlSeconds' | 'battleBaseStrength'>;
  log: Pick<FastifyBaseLogger, 'warn'>;
}

export class BattleService implements MatchResolver, PendingChallenges {
  #sweeping: Promise<void> | null = null;

  constructor(private readonly deps: BattleDeps) {}

  /** A challenge: the challenger's stake goes into escrow (`battle_stake`). */
  async challenge(
    playerId: string,
    body: CreateBattleBody,
    key: string | undefined,
  ): Promise<BattleMoveResponse> {
    // Asked at once, beside the in-flight slot's command (one Redis round trip for both, pipelined),
    // and awaited inside the slot; a refusal of the slot leaves the answer unread, not unhandled.
    const online = body.opponentId === playerId ? Promise.resolve(false) : this.#isOnline(body.opponentId);
    online.catch(() => undefined);
    const seed = randomBytes(32).toString('hex');
    const request: MoveRequest = { method: 'POST', path: '/battles', body };
    return this.#keyedMove(playerId, key, request, async (keyArgs) =>
      battleChallenge(this.deps.database, {
        challengerId: playerId,
        opponentId: body.opponentId,
        stake: body.stake,
        clientSeed: body.clientSeed ?? null,
        seed,
        opponentOnline: await online,
        ttlSeconds: this.deps.config.battleChallengeTtlSeconds,
        maxPending: MAX_PENDING_CHALLENGES,
        baseStrength: this.deps.config.battleBaseStrength,
        ...keyArgs,
      }),
    );
  }

  /** The opponent accepts: its stake is held and both go to the winner (`battle_payout`) at once. */
  async accept(
    playerId: string,
    battleId: string,
    body: { clientSeed?: string },
    key: string | undefined,
  ): Promise<BattleMoveResponse> {
    const request: MoveRequest = { method: 'POST', path: `/battles/${battleId}/accept`, body };
    return this.#keyedMove(playerId, key, request, (keyArgs) =>
      battleAccept(this.deps.database, {
        battleId,
        playerId,
        clientSeed: body.clientSeed ?? null,
        ...keyArgs,
      }),
    );
  }

  /** Decline (the opponent) or cancel (the challenger): the stake goes back (`battle_refund`). */
  async end(
    playerId: string,
    battleId: string,
    action: 'decline' | 'cancel',
    key: string | undefined,
  ): Promise<BattleMoveResponse> {
    const request: MoveRequest = { method: 'POST', path: `/battles/${battleId}/${action}`, body: null };
    return this.#keyedMove(playerId, key, request, (keyArgs) =>
      battleEnd(this.deps.database, { battleId, playerId, action, ...keyArgs }),
    );
  }

  /**
   * Quick match found a pair: both stakes held and the battle resolved in one transaction (no
   * Idempotency-Key: the server starts it). A rule refusal is thrown.
   */
  async resolveMatched(challengerId: string, opponentId: string, stake: number): Promise<Battle> {
    const seed = randomBytes(32).toString('hex');
    const row = await battleMatch(this.deps.database, {
      challengerId,
      opponentId,
      stake,
      seed,
      baseStrength: this.deps.config.battleBaseStrength,
    });
    const answer = this.#announce(this.#battleAnswer(answerOf(row), row));
    if (answer.statusCode !== 200 || !answer.battle) {
      const { error } = JSON.parse(answer.body) as {
        error: { code: ErrorCode; message: string; details?: unknown };
      };
      throw new DomainError(error.code, error.message, error.details);
    }
    return answer.battle;
  }

  pendingFor(playerId: string): Promise<Battle[]> {
    return pendingBattles(this.deps.database, playerId, MAX_PENDING_SHOWN);
  }

  /** A battle, to its two players only (anyone else: 404, as if it did not exist). */
  async get(playerId: string, battleId: string): Promise<Battle> {
    const battle = await findBattle(this.deps.database, battleId);
    if (!battle || (battle.challengerId !== playerId && battle.opponentId !== playerId)) {
      throw new DomainError('NOT_FOUND', `No battle ${battleId} of yours`);
    }
    return battle;
  }

  async list(playerId: string, query: { limit?: number; cursor?: string }): Promise<BattlePage> {
    const limit = query.limit ?? 20;
    const after =
      query.cursor === undefined ? null : decodeCursor<[string, string]>(query.cursor, ['s', 's']);
    if (after && (!ISO.test(after[0]) || !UUID.test(after[1]))) {
      throw new DomainError('VALIDATION_ERROR', 'Invalid cursor', [
        { field: 'querystring/cursor', message: 'not a cursor from this list' },
      ]);
    }
    const rows = await listBattles(this.deps.database, playerId, after, limit + 1);
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      battles: page.map((row) => row.battle),
      nextCursor: rows.length > limit && last ? encodeCursor([last.at, last.battle.id]) : null,
    };
  }

  async leaderboard(query: { limit?: number; cursor?: string }): Promise<LeaderboardPage> {
    const limit = query.limit ?? 20;
    const after =
      query.cursor === undefined ? null : decodeCursor<[number, string]>(query.cursor, ['z', 's']);
    if (after && !UUID.test(after[1])) {
      throw new DomainError('VALIDATION_ERROR', 'Invalid cursor', [
        { field: 'querystring/cursor', message: 'not a cursor from this list' },
      ]);
    }
    const rows = await leaderboard(this.deps.database, after, limit + 1);
    const page = rows
      .slice(0, limit)
      .map((row) => ({ ...row, rank: Number(row.rank), power: Number(row.power) }));
    const last = page.at(-1);
    return {
      players: page,
      nextCursor: rows.length > limit && last ? encodeCursor([last.rating, last.id]) : null,
    };
  }

  /** The sweep job: runs one sweep unless one is running; resolves when it is over (tests await it). */
  sweep(): Promise<void> {
    this.#sweeping ??= this.#sweep()
      .catch((error: unknown) => this.deps.log.warn({ err: error }, 'battle expiry sweep failed'))
      .finally(() => {
        this.#sweeping = null;
      });
    return this.#sweeping;
  }

  /** Refunds overdue challenges, a batch per statement (rows other nodes hold are skipped). */
  async #sweep(): Promise<void> {
    for (;;) {
      const rows = await expireDueBattles(this.deps.database, SWEEP_BATCH);
      for (const row of rows) this.deps.wallet.announceBalances(row.o_balances);
      for (const row of rows) if (row.o_battle) this.#publish(row.o_battle);
      if (rows.length < SWEEP_BATCH) return;
    }
  }

  async #keyedMove(
    playerId: string,
    key: string | undefined,
    request: MoveRequest,
    run: (keyArgs: KeyArgs) => Promise<BattleMoveRow>,
  ): Promise<BattleMoveResponse> {
    const { answer, row } = await this.deps.wallet.runKeyed(playerId, key, request, run);
    return this.#announce(this.#battleAnswer(answer, row));
  }

  #battleAnswer(answer: MoneyMoveResponse, row: BattleMoveRow): BattleMoveResponse {
    this.deps.wallet.announceBalances(row.o_balances);
    if (answer.replayed) return { ...answer, battle: null };
    return { ...answer, battle: row.o_battle, ended: row.o_expired ? [row.o_expired] : [] };
  }

  async #isOnline(playerId: string): Promise<boolean> {
    try {
      return await this.deps.presence.isOnline(playerId);
    } catch (error) {
      this.deps.log.warn({ err: error }, 'presence unavailable');
      throw new DomainError('SERVICE_UNAVAILABLE', 'Battles are unavailable for a moment; try again');
    }
  }

  #announce(answer: BattleMoveResponse): BattleMoveResponse {
    for (const ended of answer.ended ?? []) this.#publish(ended);
    if (answer.battle) this.#publish(answer.battle);
    return answer;
  }

  /** Tells both players (on every node) that the battle changed, and counts it. */
  #publish(battle: Battle): void {
    const channel: BattleChannel =
      battle.status === 'pending'
        ? 'battle.challenge'
        : battle.status === 'resolved'
          ? 'battle.resolved'
          : 'battle.cancelled';
    this.deps.metrics.battles.inc({ status: battle.status });
    void this.deps.events.publish(channel, { battle }).catch(() => undefined);
  }
}
