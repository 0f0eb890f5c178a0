/** What a buy's or a sell's answer changes on screen, the same in the console and the browser. */
import { describe, expect, it } from 'vitest';
import { en } from '../src/i18n/en';
import { ru } from '../src/i18n/ru';
import { buyOutcome, sellOutcome } from '../src/logic/trade-outcome';

const helmet = { name: 'Combat helmet', power: 3 };
const pilot = { balance: 10_000, itemCount: 2, power: 40 };
const refusal = (code: string, details?: unknown) => ({
  ok: false as const,
  error: { status: 409, code, details },
});

describe('buyOutcome', () => {
  it('a bought item: the new balance, one more item and its power, marked owned, said in each language', () => {
    const update = buyOutcome(en, helmet, pilot, { ok: true, value: { balance: 4_901 } });
    expect(update).toEqual({
      notice: { text: en.shop.bought('Combat helmet'), tone: 'good' },
      player: { balance: 4_901, itemCount: 3, power: 43 },
      owned: true,
      price: null,
      reload: false,
    });
    expect(buyOutcome(ru, helmet, pilot, { ok: true, value: { balance: 4_901 } }).notice.text).toBe(
      ru.shop.bought('Combat helmet'),
    );
    // Without a known player only the balance is certain.
    expect(buyOutcome(en, helmet, null, { ok: true, value: { balance: 1 } }).player).toEqual({ balance: 1 });
  });

  it('a changed price shows the new one (or reloads the page when the answer lacks it)', () => {
    const update = buyOutcome(en, helmet, pilot, refusal('PRICE_CHANGED', { price: 6_000 }));
    expect(update).toMatchObject({ price: 6_000, reload: false, owned: false, player: null });
    expect(update.notice.tone).toBe('bad');
    expect(update.notice.text).toContain('60.00');
    expect(buyOutcome(en, helmet, pilot, refusal('PRICE_CHANGED'))).toMatchObject({
      price: null,
      reload: true,
    });
  });

  it('owned already, the real balance, an item gone: each corrects what the screen shows', () => {
    expect(buyOutcome(en, helmet, pilot, refusal('ALREADY_OWNED'))).toMatchObject({
      owned: true,
      notice: { text: en.errors.alreadyOwned, tone: 'bad' },
    });
    expect(buyOutcome(en, helmet, pilot, refusal('INSUFFICIENT_FUNDS', { balance: 12 }))).toMatchObject({
      player: { balance: 12 },
      reload: false,
    });
    expect(buyOutcome(en, helmet, pilot, refusal('INSUFFICIENT_FUNDS')).player).toBeNull();
    expect(buyOutcome(en, helmet, pilot, refusal('ITEM_NOT_FOUND')).reload).toBe(true);
    expect(buyOutcome(en, helmet, pilot, { ok: false, error: new Error('boom') })).toMatchObject({
      player: null,
      owned: false,
      price: null,
      reload: false,
    });
  });
});

describe('sellOutcome', () => {
  it('a sold item: the new balance, one item and its power less (never below zero), the page again', () => {
    expect(sellOutcome(en, helmet, pilot, { ok: true, value: { balance: 12_000, amount: 2_000 } })).toEqual({
      notice: { text: en.inventory.sold('Combat helmet', '20.00'), tone: 'good' },
      player: { balance: 12_000, itemCount: 1, power: 37 },
      owned: false,
      price: null,
      reload: true,
    });
    const bare = { balance: 0, itemCount: 0, power: 1 };
    expect(sellOutcome(en, helmet, bare, { ok: true, value: { balance: 5, amount: 5 } }).player).toEqual({
      balance: 5,
      itemCount: 0,
      power: 0,
    });
  });

  it('refused: NOT_OWNED reloads the stale page, anything else only says why', () => {
    expect(sellOutcome(en, helmet, pilot, refusal('NOT_OWNED'))).toMatchObject({
      reload: true,
      player: null,
    });
    expect(sellOutcome(en, helmet, pilot, refusal('VALIDATION_ERROR'))).toMatchObject({
      reload: false,
      notice: { tone: 'bad' },
    });
  });
});
