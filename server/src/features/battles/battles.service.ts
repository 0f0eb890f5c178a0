/**
 * Battles (API.md "Battles"): challenges with stakes in escrow, accept / decline / cancel, expiry, quick
 * match's resolution, the player's battles and the leaderboard.
 *
 * Every move is a wallet move (WalletService: one statement, its Idempotency-Key inside, the battle row
 * and both players locked in a fixed order), so each transition happens exactly once whatever races
 * between nodes. This service adds what lives outside Postgres: the server seed (drawn here, shown only as
 * its hash until the battle is resolved), whether the opponent is online (Presence), and the events
 * (`battle.*` to both players, `balance` from the wallet) that reach them on whichever node they are.
 * Every node sweeps overdue challenges on a timer and once at start, so stakes left in escrow by a crash
 * are refunded after a restart.
 */
import { randomBytes } from 'node:crypto';
import type {
  Battle,
  BattlePage,
  BusChannel,
  CreateBattleBody,
  ErrorCode,
  LeaderboardPage,
} from '@metagameplay/protocol';
import type { ServiceContext } from '../../context';
import { decodeCursor, encodeCursor } from '../../lib/cursor';
import { DomainError } from '../../lib/domain-error';
import type { PendingChallenges } from '../realtime/gateway';
import type { MatchResolver } from '../realtime/matchmaking.service';
import type { BattleMoveResponse, WalletService } from '../wallet/wallet.service';
import { findBattle, leaderboard, listBattles, pendingBattles } from './battles.repository';

/** A challenger holds at most this many pending challenges (API.md). */
export const MAX_PENDING_CHALLENGES = 5;
/** `hello` lists at most this many pending battles. */
const MAX_PENDING_SHOWN = 100;
/** The sweep expires at most this many challenges per statement (then runs again). */
const SWEEP_BATCH = 100;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export class BattleService implements MatchResolver, PendingChallenges {
  #timer: NodeJS.Timeout | null = null;
  #sweeping: Promise<void> | null = null;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly wallet: WalletService,
  ) {}

  async challenge(
    playerId: string,
    body: CreateBattleBody,
    key: string | undefined,
  ): Promise<BattleMoveResponse> {
    const opponentOnline = body.opponentId !== playerId && (await this.#isOnline(body.opponentId));
    const seed = randomBytes(32).toString('hex');
    return this.#announce(
      await this.wallet.challenge(
        playerId,
        body,
        { seed, opponentOnline, maxPending: MAX_PENDING_CHALLENGES },
        key,
      ),
    );
  }

  async accept(
    playerId: string,
    battleId: string,
    body: { clientSeed?: string },
    key: string | undefined,
  ): Promise<BattleMoveResponse> {
    return this.#announce(await this.wallet.accept(playerId, battleId, body, key));
  }

  async end(
    playerId: string,
    battleId: string,
    action: 'decline' | 'cancel',
    key: string | undefined,
  ): Promise<BattleMoveResponse> {
    return this.#announce(await this.wallet.end(playerId, battleId, action, key));
  }

  /** Quick match found a pair: their battle, held and resolved at once (a rule refusal is thrown). */
  async resolveMatched(challengerId: string, opponentId: string, stake: number): Promise<Battle> {
    const seed = randomBytes(32).toString('hex');
    const answer = this.#announce(await this.wallet.match(challengerId, opponentId, stake, seed));
    if (answer.statusCode !== 200 || !answer.battle) {
      const { error } = JSON.parse(answer.body) as {
        error: { code: ErrorCode; message: string; details?: unknown };
      };
      throw new DomainError(error.code, error.message, error.details);
    }
    return answer.battle;
  }

  pendingFor(playerId: string): Promise<Battle[]> {
    return pendingBattles(this.ctx.database, playerId, MAX_PENDING_SHOWN);
  }

  /** A battle, to its two players only (anyone else: 404, as if it did not exist). */
  async get(playerId: string, battleId: string): Promise<Battle> {
    const battle = await findBattle(this.ctx.database, battleId);
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
    const rows = await listBattles(this.ctx.database, playerId, after, limit + 1);
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
    const rows = await leaderboard(this.ctx.database, after, limit + 1);
    const page = rows
      .slice(0, limit)
      .map((row) => ({ ...row, rank: Number(row.rank), power: Number(row.power) }));
    const last = page.at(-1);
    return {
      players: page,
      nextCursor: rows.length > limit && last ? encodeCursor([last.rating, last.id]) : null,
    };
  }

  /** Sweeps now, then every `intervalMs` (each node does; SKIP LOCKED keeps them apart). */
  start(intervalMs: number): void {
    void this.sweep();
    this.#timer = setInterval(() => void this.sweep(), intervalMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.#sweeping;
  }

  /** Runs one sweep unless one is running; resolves when it is over (tests await it). */
  sweep(): Promise<void> {
    this.#sweeping ??= this.#sweep()
      .catch((error: unknown) => this.ctx.log.warn({ err: error }, 'battle expiry sweep failed'))
      .finally(() => {
        this.#sweeping = null;
      });
    return this.#sweeping;
  }

  async #sweep(): Promise<void> {
    for (;;) {
      const expired = await this.wallet.expireDue(SWEEP_BATCH);
      for (const battle of expired) this.#publish(battle);
      if (expired.length < SWEEP_BATCH) return;
    }
  }

  async #isOnline(playerId: string): Promise<boolean> {
    try {
      return await this.ctx.presence.isOnline(playerId);
    } catch (error) {
      this.ctx.log.warn({ err: error }, 'presence unavailable');
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
    const channel: BusChannel =
      battle.status === 'pending'
        ? 'battle.challenge'
        : battle.status === 'resolved'
          ? 'battle.resolved'
          : 'battle.cancelled';
    this.ctx.metrics.battles.inc({ status: battle.status });
    void this.ctx.events.publish(channel as 'battle.challenge', { battle }).catch(() => undefined);
  }
}
