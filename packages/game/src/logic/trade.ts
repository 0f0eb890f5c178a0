/**
 * Buying and selling as the player sees it before anything is sent: whether the deal is possible with
 * what the console knows, the balance after it, and the confirmation question (as the original game
 * asked, showing the balance after). All money is integer units, formatted by `formatCredits`.
 */
import { formatCredits } from '@metagameplay/protocol';
import type { Messages } from '../i18n/index';
import { type ListMove, listMoveForKey } from './list-browser';

export interface Priced {
  id: number;
  name: string;
  price: number;
}

export type BuyCheck = { ok: true; balanceAfter: number } | { ok: false; message: string };

export function checkBuy(t: Messages, item: Priced, balance: number, owned: ReadonlySet<number>): BuyCheck {
  if (owned.has(item.id)) return { ok: false, message: t.shop.alreadyOwned };
  if (item.price > balance) {
    return { ok: false, message: t.shop.cannotAfford(formatCredits(item.price), formatCredits(balance)) };
  }
  return { ok: true, balanceAfter: balance - item.price };
}

export function buyQuestion(t: Messages, item: Priced, balance: number): string {
  return t.shop.confirm(item.name, formatCredits(item.price), formatCredits(balance - item.price));
}

export function sellQuestion(
  t: Messages,
  item: { name: string; sellPrice: number },
  balance: number,
): string {
  return t.inventory.confirm(
    item.name,
    formatCredits(item.sellPrice),
    formatCredits(balance + item.sellPrice),
  );
}

/** A confirmation answer from a key press: yes, no, or not an answer (ignored). Both layouts count. */
export function confirmAnswer(
  input: string,
  key: { return?: boolean; escape?: boolean },
): 'yes' | 'no' | null {
  const letter = input.toLowerCase();
  if (letter === 'y' || letter === 'н' || letter === 'д') return 'yes';
  if (letter === 'n' || letter === 'т' || key.escape) return 'no';
  return null;
}

/**
 * The keys the shop and the inventory share, before their own: nothing while a trade is in flight; an
 * open question takes its answer (yes runs the trade, yes or no closes it); otherwise arrows and page
 * keys move the list. Returns true when the key was used.
 */
export function handleTradeListKey<T>(
  input: string,
  key: Parameters<typeof confirmAnswer>[1] & Parameters<typeof listMoveForKey>[0],
  state: {
    busy: boolean;
    asked: T | null;
    trade: (item: T) => void;
    closeQuestion: () => void;
    move: (move: ListMove) => void;
  },
): boolean {
  if (state.busy) return true;
  if (state.asked !== null) {
    const answer = confirmAnswer(input, key);
    if (answer === 'yes') state.trade(state.asked);
    if (answer !== null) state.closeQuestion();
    return true;
  }
  const move = listMoveForKey(key);
  if (move) state.move(move);
  return move !== null;
}
