/**
 * What a screen does with the answer to a buy or a sell, decided once for both games: the player's new
 * figures, the notice, and what in the list on show became stale. The console and the web apply it with
 * their own state (Ink rows, DOM rows); an answer the request gate already handled never reaches here.
 */
import { formatCredits } from '@metagameplay/protocol';
import type { Messages } from '../i18n/index';
import { asApiFailure, failureMessage, moneyDetail } from './failure';

/** The player figures a trade changes. */
export interface TradeFigures {
  balance: number;
  itemCount: number;
  power: number;
}

export interface TradeNotice {
  text: string;
  tone: 'good' | 'bad';
}

/** The changes to make after a trade; each field absent or false when nothing changes. */
export interface TradeUpdate {
  notice: TradeNotice;
  /** The player's new figures (only those known). */
  player: Partial<TradeFigures> | null;
  /** The item is owned now: mark it. */
  owned: boolean;
  /** The item's row shows this price now (the server's current one). */
  price: number | null;
  /** The page on show is stale: fetch it again. */
  reload: boolean;
}

type TradeAnswer<T> = { ok: true; value: T } | { ok: false; error: unknown };

const NOTHING = { player: null, owned: false, price: null, reload: false } as const;

/**
 * A buy's answer. A refusal teaches about the stale view beyond its message: the new price
 * (PRICE_CHANGED), that the item is owned already, the real balance (INSUFFICIENT_FUNDS), or that the
 * item left the shop (the page is fetched again).
 */
export function buyOutcome(
  t: Messages,
  item: { name: string; power: number },
  player: TradeFigures | null,
  answer: TradeAnswer<{ balance: number }>,
): TradeUpdate {
  if (answer.ok) {
    return {
      ...NOTHING,
      notice: { text: t.shop.bought(item.name), tone: 'good' },
      player: {
        balance: answer.value.balance,
        ...(player ? { itemCount: player.itemCount + 1, power: player.power + item.power } : {}),
      },
      owned: true,
    };
  }
  const refused = { ...NOTHING, notice: { text: failureMessage(t, answer.error), tone: 'bad' } } as const;
  const failure = asApiFailure(answer.error);
  switch (failure?.code) {
    case 'PRICE_CHANGED': {
      const price = moneyDetail(failure.details, 'price');
      return price === null ? { ...refused, reload: true } : { ...refused, price };
    }
    case 'ALREADY_OWNED':
      return { ...refused, owned: true };
    case 'INSUFFICIENT_FUNDS': {
      const balance = moneyDetail(failure.details, 'balance');
      return balance === null ? refused : { ...refused, player: { balance } };
    }
    case 'ITEM_NOT_FOUND':
      return { ...refused, reload: true };
    default:
      return refused;
  }
}

/** A sell's answer: sold, the page is fetched again; refused as not owned, the page is stale too. */
export function sellOutcome(
  t: Messages,
  item: { name: string; power: number },
  player: TradeFigures | null,
  answer: TradeAnswer<{ balance: number; amount: number }>,
): TradeUpdate {
  if (answer.ok) {
    return {
      ...NOTHING,
      notice: { text: t.inventory.sold(item.name, formatCredits(answer.value.amount)), tone: 'good' },
      player: {
        balance: answer.value.balance,
        ...(player
          ? { itemCount: Math.max(0, player.itemCount - 1), power: Math.max(0, player.power - item.power) }
          : {}),
      },
      reload: true,
    };
  }
  return {
    ...NOTHING,
    notice: { text: failureMessage(t, answer.error), tone: 'bad' },
    reload: asApiFailure(answer.error)?.code === 'NOT_OWNED',
  };
}
