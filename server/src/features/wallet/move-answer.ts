/**
 * A money statement's answer as the API sends it. The SQL functions store an outcome (a success body, or
 * a rule error's code and facts); its body is rebuilt here, a pure function of the stored outcome, so a
 * replay is byte-identical to the first answer. The texts of the rule errors live here, once.
 */
import { type ErrorCode, formatCredits, MAX_MONEY } from '@metagameplay/protocol';
import { DomainError } from '../../lib/domain-error';
import type { MoneyMoveResponse } from './idempotency';
import type { MoveRow, ShopMoveRow } from './wallet.repository';

/** A move's row as its answer (a replay is the stored answer, as it was). */
export function answerOf(row: MoveRow): MoneyMoveResponse {
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

/**
 * The values a shop move answered or stored (sql/functions/mg_shop_buy.sql, mg_shop_sell.sql, `v: 2`):
 * the body is written here from them, the same bytes for the first answer and every replay.
 */
interface ShopFacts {
  status: number;
  code: ErrorCode | null;
  balance: number | null;
  price: number | null;
  power: number | null;
  name: string | null;
  sellPrice?: number | null;
  atMs?: number | null;
  amount?: number | null;
  tx: number | null;
}

/**
 * The answer of a shop move: a purchase (`buy`) or a sale (`sell`) of `item` (its name as the node knows it;
 * a replay uses the name stored with the answer). A replay of a key an
 * earlier release stored (a whole body, or a rule error's facts) is sent as that release stored it.
 */
export function shopAnswer(
  move: 'buy' | 'sell',
  item: { id: number; name: string | null },
  row: ShopMoveRow,
  sellPrice: (price: number) => number,
): MoneyMoveResponse {
  const itemId = item.id;
  if (row.o_kind === 'reused') return answerOf({ o_kind: 'reused', o_status: 0, o_outcome: '' });
  let facts: ShopFacts;
  if (row.o_kind === 'replay') {
    const stored = JSON.parse(row.o_stored ?? 'null') as (ShopFacts & { v?: number }) | null;
    if (stored?.v !== 2) {
      return answerOf({ o_kind: 'replay', o_status: row.o_status ?? 0, o_outcome: row.o_stored ?? '' });
    }
    facts = stored;
  } else {
    facts = {
      status: row.o_status ?? 0,
      code: row.o_code as ErrorCode | null,
      balance: row.o_balance,
      price: row.o_price,
      power: row.o_power,
      name: item.name,
      sellPrice: row.o_price === null ? null : sellPrice(row.o_price),
      atMs: row.o_at?.getTime() ?? null,
      amount: row.o_amount ?? null,
      tx: row.o_tx,
    };
  }
  const replayed = row.o_kind === 'replay';
  if (facts.code) {
    const body = ruleError(facts.code, {
      itemId,
      name: facts.name ?? undefined,
      price: facts.price ?? undefined,
      balance: facts.balance ?? undefined,
      required: facts.price ?? undefined,
      amount: facts.amount ?? undefined,
    }).toBody();
    return { statusCode: facts.status, body: JSON.stringify(body), replayed };
  }
  const balance = facts.balance ?? 0;
  const body =
    move === 'buy'
      ? {
          balance,
          item: {
            id: itemId,
            name: facts.name,
            price: facts.price,
            power: facts.power,
            sellPrice: facts.sellPrice,
            acquiredAt: new Date(facts.atMs ?? 0).toISOString(),
          },
          transactionId: String(facts.tx),
        }
      : {
          balance,
          amount: facts.amount,
          item: { id: itemId, name: facts.name, price: facts.price, power: facts.power },
          transactionId: String(facts.tx),
        };
  return { statusCode: facts.status, body: JSON.stringify(body), replayed, balance };
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
  listingId?: string;
  listed?: boolean;
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
      return facts.listed
        ? new DomainError(code, `"${facts.name ?? ''}" is already listed on the market`, { listed: true })
        : new DomainError(code, `You do not own "${facts.name ?? ''}"`);
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
    case 'PLAYER_DELETED':
      return new DomainError(code, 'The account was deleted: it cannot be acted on');
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
      return facts.listingId === undefined
        ? new DomainError(code, `No battle ${facts.battleId ?? ''} of yours`)
        : new DomainError(code, `No listing ${facts.listingId}`);
    case 'OWN_LISTING':
      return new DomainError(code, 'You cannot buy your own listing');
    case 'LISTING_NOT_ACTIVE':
      return new DomainError(code, `The listing is ${facts.status ?? 'over'}, no longer on sale`, {
        status: facts.status,
      });
    case 'TOO_MANY_LISTINGS':
      return new DomainError(code, `You already have ${facts.max ?? 20} active listings`, { max: facts.max });
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
