/**
 * The wallet: the owner of the shop's money moves (purchase, sale, admin grant) and of the primitives
 * every other money move is built on: the in-flight bound (money-slots.ts), the Idempotency-Key handled
 * inside the move's own statement (idempotency.ts), the stored answer (move-answer.ts) and the `balance`
 * events. Each move is one statement; routes and other services ask for a move and get its answer, they
 * never compose money statements themselves. Battles run their moves through `runKeyed`.
 */
import type { Language } from '@metagameplay/protocol';
import type { Config } from '../../config';
import type { Database } from '../../db/client';
import type { Events } from '../../infra/events';
import type { InFlightLimiter } from '../../infra/in-flight';
import type { Metrics } from '../../infra/metrics';
import type { ItemNames } from '../shop/item-names';
import { fingerprintOf, type MoneyMoveResponse, type MoveRequest } from './idempotency';
import { MoneySlots } from './money-slots';
import { answerOf, shopAnswer } from './move-answer';
import {
  buy,
  deduct,
  deleteExpiredIdempotencyKeys,
  grant,
  type KeyArgs,
  type MoveRow,
  sell,
} from './wallet.repository';

export type { MoneyMoveResponse } from './idempotency';

export interface WalletDeps {
  database: Pick<Database, 'query' | 'db'>;
  /** Item names in a language (features/shop/item-names.ts): the answers carry them, the database not. */
  names: Pick<ItemNames, 'nameOf'>;
  config: Pick<Config, 'sellPricePercent' | 'moneyMovesInFlightMax'>;
  metrics: Pick<Metrics, 'purchases' | 'sales'>;
  inFlight: Pick<InFlightLimiter, 'acquire'>;
  events: Pick<Events, 'publish'>;
}

/** Balances a move left, by player id (as the SQL functions answer them). */
export type MovedBalances = Record<string, number | string> | null;

/** What another feature's keyed money moves need of the wallet (battles). */
export interface KeyedMoves {
  /**
   * Runs one keyed money statement inside the player's in-flight bound: `run` gets the key and the
   * request's fingerprint to claim it in the statement; its row becomes the answer (a replay is the stored
   * answer; a key reused for another request is refused). Answers the row too, for what else it holds.
   */
  runKeyed<R extends MoveRow>(
    playerId: string,
    key: string | undefined,
    request: MoveRequest,
    run: (keyArgs: KeyArgs) => Promise<R>,
  ): Promise<{ answer: MoneyMoveResponse; row: R }>;
  /** Announces balances a move left (a `balance` event per player, on every node). */
  announceBalances(balances: MovedBalances): void;
}

export class WalletService implements KeyedMoves {
  readonly #slots: MoneySlots;

  constructor(private readonly deps: WalletDeps) {
    this.#slots = new MoneySlots(deps.inFlight, deps.config.moneyMovesInFlightMax);
  }

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
    const name = await this.deps.names.nameOf(itemId, language);
    const row = await this.#slots.run(playerId, () =>
      buy(this.deps.database, {
        playerId,
        itemId,
        expectedPrice: expectedPrice ?? null,
        sellPercent: this.deps.config.sellPricePercent,
        name,
        ...this.#keyArgs(key, request),
      }),
    );
    const answer = shopAnswer('buy', { id: itemId, name }, row, this.#sellPrice);
    if (answer.statusCode === 200 && !answer.replayed) {
      this.deps.metrics.purchases.inc();
      this.#announceBalanceOf(playerId, answer);
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
    const name = await this.deps.names.nameOf(itemId, language);
    const row = await this.#slots.run(playerId, () =>
      sell(this.deps.database, {
        playerId,
        itemId,
        sellPercent: this.deps.config.sellPricePercent,
        name,
        ...this.#keyArgs(key, request),
      }),
    );
    const answer = shopAnswer('sell', { id: itemId, name }, row, this.#sellPrice);
    if (answer.statusCode === 200 && !answer.replayed) {
      this.deps.metrics.sales.inc();
      this.#announceBalanceOf(playerId, answer);
    }
    return answer;
  }

  /** An admin's grant; the key belongs to the acting admin, as every key to the player who sends it. */
  grant(
    actorId: string,
    playerId: string,
    amount: number,
    reason: string,
    key: string | undefined,
  ): Promise<MoneyMoveResponse> {
    return this.#adminMove('credits', grant, { actorId, playerId, amount, reason }, key);
  }

  /** An admin's deduction (never below 0); the key is the acting admin's, as for a grant. */
  deduct(
    actorId: string,
    playerId: string,
    amount: number,
    reason: string,
    key: string | undefined,
  ): Promise<MoneyMoveResponse> {
    return this.#adminMove('deductions', deduct, { actorId, playerId, amount, reason }, key);
  }

  async #adminMove(
    path: 'credits' | 'deductions',
    move: typeof grant,
    args: { actorId: string; playerId: string; amount: number; reason: string },
    key: string | undefined,
  ): Promise<MoneyMoveResponse> {
    const { actorId, playerId, amount, reason } = args;
    const request: MoveRequest = {
      method: 'POST',
      path: `/admin/players/${playerId}/${path}`,
      body: { amount, reason },
    };
    const { answer } = await this.runKeyed(actorId, key, request, (keyArgs) =>
      move(this.deps.database, { ...args, ...keyArgs }),
    );
    if (answer.statusCode === 200 && !answer.replayed) this.#announceBalanceOf(playerId, answer);
    return answer;
  }

  async runKeyed<R extends MoveRow>(
    playerId: string,
    key: string | undefined,
    request: MoveRequest,
    run: (keyArgs: KeyArgs) => Promise<R>,
  ): Promise<{ answer: MoneyMoveResponse; row: R }> {
    const row = await this.#slots.run(playerId, () => run(this.#keyArgs(key, request)));
    return { answer: answerOf(row), row };
  }

  #keyArgs(key: string | undefined, request: MoveRequest): KeyArgs {
    return { key: key ?? null, fingerprint: key === undefined ? '' : fingerprintOf(request) };
  }

  /** What selling an item of this price pays (SELL_PRICE_PERCENT, rounded down, as mg_sell_price). */
  readonly #sellPrice = (price: number): number =>
    Number((BigInt(price) * BigInt(this.deps.config.sellPricePercent)) / 100n);

  announceBalances(balances: MovedBalances): void {
    for (const [playerId, balance] of Object.entries(balances ?? {})) {
      void this.deps.events.publish('balance', { playerId, balance: Number(balance) }).catch(() => undefined);
    }
  }

  #announceBalanceOf(playerId: string, answer: MoneyMoveResponse): void {
    if (answer.balance !== undefined) this.announceBalances({ [playerId]: answer.balance });
  }

  /** Housekeeping: forgets keys past their retention. */
  deleteExpiredKeys(): Promise<void> {
    return deleteExpiredIdempotencyKeys(this.deps.database.db);
  }
}
