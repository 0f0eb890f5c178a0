/**
 * The wallet: the one owner of every money move — purchase, sale, admin grant, login bonus, and the
 * battle moves (stake, payout, refund, escrow resolution). Each move is one statement or one
 * transaction the wallet opens itself, with its Idempotency-Key handled inside; routes and other
 * services ask for a move and get its answer, they never compose money statements themselves.
 *
 * Each player has at most MONEY_MOVES_IN_FLIGHT_MAX moves running at once (on all nodes together); more
 * wait briefly for a slot, then are answered 429, so one player cannot queue the whole database pool on
 * its row lock and starve everyone else.
 */
import { type Battle, type ErrorCode, formatCredits, type Language, MAX_MONEY } from '@metagameplay/protocol';
import type { AppContext } from '../../context';
import { DomainError } from '../../lib/domain-error';
import { fingerprintOf, type MoneyMoveResponse, type MoveRequest } from './idempotency';
import {
  type BattleMoveRow,
  battleAccept,
  battleChallenge,
  battleEnd,
  battleMatch,
  deleteExpiredIdempotencyKeys,
  expireDueBattles,
  grant,
  insertPlayerWithSession,
  type KeyArgs,
  type MoveRow,
  openSessionWithBonus,
  purchase,
  type SessionPlayerRow,
  sale,
} from './wallet.repository';

export type { MoneyMoveResponse } from './idempotency';

/** How long a money move waits for one of its player's in-flight slots before it is refused. */
const SLOT_WAIT_MS = 1_000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

type WalletContext = Pick<AppContext, 'config' | 'database' | 'metrics' | 'inFlight' | 'events'>;

/** A battle move's answer, with the battle as it stands after the move (null: no battle changed). */
export interface BattleMoveResponse extends MoneyMoveResponse {
  battle: Battle | null;
  /** Other battles the move ended on the way (an overdue challenge a new one replaced). */
  ended?: Battle[];
}

export class WalletService {
  constructor(private readonly ctx: WalletContext) {}

  /**
   * Item names in the answer (and in its rule error) are in `language`, as the shop serves them. The
   * language is not part of the key's request: a replay sends the first answer, in the first language.
   */
  async purchase(
    playerId: string,
    itemId: number,
    expectedPrice: number | undefined,
    key: string | undefined,
    language: Language,
  ): Promise<MoneyMoveResponse> {
    const request: MoveRequest = {
      method: 'POST',
      path: `/shop/items/${itemId}/buy`,
      body: expectedPrice === undefined ? {} : { expectedPrice },
    };
    const answer = await this.#move(playerId, key, request, (keyArgs) =>
      purchase(this.ctx.database, {
        playerId,
        itemId,
        expectedPrice: expectedPrice ?? null,
        sellPercent: this.ctx.config.sellPricePercent,
        language,
        ...keyArgs,
      }),
    );
    if (answer.statusCode === 200 && !answer.replayed) {
      this.ctx.metrics.purchases.inc();
      this.#publishBalanceOf(playerId, answer);
    }
    return answer;
  }

  /** A sale; names in `language`, as in a purchase. */
  async sale(
    playerId: string,
    itemId: number,
    key: string | undefined,
    language: Language,
  ): Promise<MoneyMoveResponse> {
    const request: MoveRequest = { method: 'POST', path: `/me/items/${itemId}/sell`, body: null };
    const answer = await this.#move(playerId, key, request, (keyArgs) =>
      sale(this.ctx.database, {
        playerId,
        itemId,
        sellPercent: this.ctx.config.sellPricePercent,
        language,
        ...keyArgs,
      }),
    );
    if (answer.statusCode === 200 && !answer.replayed) {
      this.ctx.metrics.sales.inc();
      this.#publishBalanceOf(playerId, answer);
    }
    return answer;
  }

  /** An admin's grant; the key belongs to the acting admin, as every key to the player who sends it. */
  async grant(
    actorId: string,
    playerId: string,
    amount: number,
    reason: string,
    key: string | undefined,
  ): Promise<MoneyMoveResponse> {
    const request: MoveRequest = {
      method: 'POST',
      path: `/admin/players/${playerId}/credits`,
      body: { amount, reason },
    };
    const answer = await this.#move(actorId, key, request, (keyArgs) =>
      grant(this.ctx.database, { actorId, playerId, amount, reason, ...keyArgs }),
    );
    if (answer.statusCode === 200 && !answer.replayed) this.#publishBalanceOf(playerId, answer);
    return answer;
  }

  // --- battles: escrow in drizzle/0005_battles.sql ------------------------------------------------

  /** A challenge: the challenger's stake goes into escrow (`battle_stake`). */
  challenge(
    challengerId: string,
    body: { opponentId: string; stake: number; clientSeed?: string },
    facts: { seed: string; opponentOnline: boolean; maxPending: number },
    key: string | undefined,
  ): Promise<BattleMoveResponse> {
    const request: MoveRequest = { method: 'POST', path: '/battles', body };
    return this.#battleMove(challengerId, key, request, (keyArgs) =>
      battleChallenge(this.ctx.database, {
        challengerId,
        opponentId: body.opponentId,
        stake: body.stake,
        clientSeed: body.clientSeed ?? null,
        seed: facts.seed,
        opponentOnline: facts.opponentOnline,
        ttlSeconds: this.ctx.config.battleChallengeTtlSeconds,
        maxPending: facts.maxPending,
        ...keyArgs,
      }),
    );
  }

  /** The opponent accepts: its stake is held and both go to the winner (`battle_payout`) at once. */
  accept(
    playerId: string,
    battleId: string,
    body: { clientSeed?: string },
    key: string | undefined,
  ): Promise<BattleMoveResponse> {
    const request: MoveRequest = { method: 'POST', path: `/battles/${battleId}/accept`, body };
    return this.#battleMove(playerId, key, request, (keyArgs) =>
      battleAccept(this.ctx.database, {
        battleId,
        playerId,
        clientSeed: body.clientSeed ?? null,
        ...keyArgs,
      }),
    );
  }

  /** Decline (the opponent) or cancel (the challenger): the stake goes back (`battle_refund`). */
  end(
    playerId: string,
    battleId: string,
    action: 'decline' | 'cancel',
    key: string | undefined,
  ): Promise<BattleMoveResponse> {
    const request: MoveRequest = { method: 'POST', path: `/battles/${battleId}/${action}`, body: null };
    return this.#battleMove(playerId, key, request, (keyArgs) =>
      battleEnd(this.ctx.database, { battleId, playerId, action, ...keyArgs }),
    );
  }

  /** Quick match: both stakes held and the battle resolved in one transaction. */
  async match(
    challengerId: string,
    opponentId: string,
    stake: number,
    seed: string,
  ): Promise<BattleMoveResponse> {
    const row = await battleMatch(this.ctx.database, { challengerId, opponentId, stake, seed });
    return this.#battleAnswer(row);
  }

  /** The expiry sweep: refunds up to `limit` overdue challenges; answers the battles it expired. */
  async expireDue(limit: number): Promise<Battle[]> {
    const rows = await expireDueBattles(this.ctx.database, limit);
    return rows.flatMap((row) => {
      this.#publishBalances(row.o_balances);
      return row.o_battle ? [row.o_battle] : [];
    });
  }

  async #battleMove(
    playerId: string,
    key: string | undefined,
    request: MoveRequest,
    run: (keyArgs: KeyArgs) => Promise<BattleMoveRow>,
  ): Promise<BattleMoveResponse> {
    const row = await this.bounded(playerId, () =>
      run({ key: key ?? null, fingerprint: key === undefined ? '' : fingerprintOf(request) }),
    );
    return this.#battleAnswer(row);
  }

  #battleAnswer(row: BattleMoveRow): BattleMoveResponse {
    const answer = answerOf(row);
    this.#publishBalances(row.o_balances);
    if (answer.replayed) return { ...answer, battle: null };
    return { ...answer, battle: row.o_battle, ended: row.o_expired ? [row.o_expired] : [] };
  }

  #publishBalances(balances: Record<string, number | string> | null): void {
    for (const [playerId, balance] of Object.entries(balances ?? {})) {
      void this.ctx.events.publish('balance', { playerId, balance: Number(balance) }).catch(() => undefined);
    }
  }

  #publishBalanceOf(playerId: string, answer: MoneyMoveResponse): void {
    if (answer.balance !== undefined) this.#publishBalances({ [playerId]: answer.balance });
  }

  /** A new player with its first login bonus and session; null when the nickname is taken. */
  registerWithBonus(input: {
    nickname: string;
    nicknameKey: string;
    nicknameSkeleton: string;
    passwordHash: string;
    bonus: number;
    tokenHash: string;
    expiresAt: Date;
  }): Promise<SessionPlayerRow | null> {
    return insertPlayerWithSession(this.ctx.database, input);
  }

  /** A session for a known player, with the login bonus unless the cooldown holds it back. */
  loginWithBonus(input: {
    playerId: string;
    bonus: number;
    tokenHash: string;
    expiresAt: Date;
  }): Promise<SessionPlayerRow | null> {
    return openSessionWithBonus(this.ctx.database, {
      ...input,
      cooldownSeconds: this.ctx.config.loginBonusCooldownSeconds,
    });
  }

  /** Housekeeping: forgets keys past their retention. */
  deleteExpiredKeys(): Promise<void> {
    return deleteExpiredIdempotencyKeys(this.ctx.database);
  }

  /** Runs one bounded move and turns its row into the answer (a replay is the stored answer, as it was). */
  async #move(
    playerId: string,
    key: string | undefined,
    request: MoveRequest,
    run: (keyArgs: KeyArgs) => Promise<MoveRow>,
  ): Promise<MoneyMoveResponse> {
    const row = await this.bounded(playerId, () =>
      run({ key: key ?? null, fingerprint: key === undefined ? '' : fingerprintOf(request) }),
    );
    return answerOf(row);
  }

  /**
   * Runs work while holding one of the player's in-flight slots. A move that finds none free waits a
   * little for one (a burst of a few moves is served, in turn), and is answered 429 RATE_LIMITED when
   * none frees within SLOT_WAIT_MS.
   */
  async bounded<T>(playerId: string, work: () => Promise<T>): Promise<T> {
    const key = `money:${playerId}`;
    const max = this.ctx.config.moneyMovesInFlightMax;
    let release = await this.ctx.inFlight.acquire(key, max);
    for (let waited = 0, pause = 2; !release && waited < SLOT_WAIT_MS; waited += pause, pause *= 2) {
      await sleep(Math.min(pause, SLOT_WAIT_MS - waited));
      release = await this.ctx.inFlight.acquire(key, max);
    }
    if (!release) {
      throw new DomainError(
        'RATE_LIMITED',
        'Too many money moves in flight for this player; try again in 1 s',
        { retryAfterSeconds: 1 },
        { 'retry-after': '1' },
      );
    }
    try {
      return await work();
    } finally {
      release();
    }
  }
}

/** A move's row as its answer (a replay is the stored answer, as it was). */
function answerOf(row: MoveRow): MoneyMoveResponse {
  if (row.o_kind === 'reused') {
    throw new DomainError(
      'IDEMPOTENCY_KEY_REUSED',
      'This Idempotency-Key was already used for a different request',
    );
  }
  const outcome = JSON.parse(row.o_outcome) as Outcome;
  return {
    statusCode: row.o_status,
    body: renderParsed(outcome),
    replayed: row.o_kind === 'replay',
    ...(typeof outcome.balance === 'number' && outcome.code === undefined
      ? { balance: outcome.balance }
      : {}),
  };
}

interface Outcome {
  code?: ErrorCode;
  error?: unknown;
  itemId?: number;
  name?: string;
  price?: number;
  balance?: number;
  required?: number;
  amount?: number;
  max?: number;
  sameOpponent?: boolean;
  status?: string;
  role?: string;
  battleId?: string;
}

/**
 * The response body of a stored outcome: a success is the body itself; a rule error is rebuilt from its
 * code and facts. A pure function of the stored outcome, so a replay is byte-identical to the first answer.
 * (Answers stored before the wallet functions already hold their error body: sent as they are.)
 */
function renderParsed(outcome: Outcome): string {
  if (outcome.code === undefined) return JSON.stringify(outcome);
  return JSON.stringify(ruleError(outcome.code, outcome).toBody());
}

export function ruleError(code: ErrorCode, facts: Outcome): DomainError {
  const credits = (units: number | undefined) => `${formatCredits(units ?? 0)} credits`;
  switch (code) {
    case 'ITEM_NOT_FOUND':
      return new DomainError(code, `No item ${facts.itemId ?? ''} in the shop`);
    case 'ALREADY_OWNED':
      return new DomainError(code, `You already own "${facts.name ?? ''}"`);
    case 'NOT_OWNED':
      return new DomainError(code, `You do not own "${facts.name ?? ''}"`);
    case 'PRICE_CHANGED':
      return new DomainError(code, `The price of "${facts.name ?? ''}" is now ${credits(facts.price)}`, {
        price: facts.price,
      });
    case 'INSUFFICIENT_FUNDS':
      return new DomainError(
        code,
        `Not enough credits: need ${credits(facts.required)}, have ${formatCredits(facts.balance ?? 0)}`,
        { balance: facts.balance, required: facts.required },
      );
    case 'BALANCE_LIMIT':
      return new DomainError(
        code,
        `A balance cannot pass ${credits(MAX_MONEY)}: it holds ${credits(facts.balance)}, the move adds ${credits(facts.amount)}`,
        { balance: facts.balance, amount: facts.amount, max: MAX_MONEY },
      );
    case 'PLAYER_NOT_FOUND':
      return new DomainError(code, 'No such player');
    case 'INVALID_OPPONENT':
      return new DomainError(code, 'You cannot challenge yourself');
    case 'OPPONENT_OFFLINE':
      return new DomainError(code, 'That pilot is not online: only online pilots can be challenged');
    case 'TOO_MANY_CHALLENGES':
      return new DomainError(
        code,
        facts.sameOpponent
          ? 'You already have a pending challenge to that pilot'
          : `You already have ${facts.max ?? 5} pending challenges: wait for an answer or cancel one`,
        { max: facts.max, sameOpponent: facts.sameOpponent },
      );
    case 'BATTLE_NOT_PENDING':
      return new DomainError(code, `The battle is ${facts.status ?? 'over'}, no longer pending`, {
        status: facts.status,
      });
    case 'NOT_FOUND':
      return new DomainError(code, `No battle ${facts.battleId ?? ''} of yours`);
    case 'FORBIDDEN':
      return new DomainError(
        code,
        facts.role === 'opponent'
          ? 'Only the challenged pilot can accept or decline'
          : 'Only the challenger can cancel',
      );
    default:
      return new DomainError(code, code);
  }
}
