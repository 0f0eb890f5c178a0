/** Buying and selling before the request: checks, confirmation text with the balance after, answers. */
import { describe, expect, it } from 'vitest';
import { en } from '../src/i18n/en';
import { buyQuestion, checkBuy, confirmAnswer, handleTradeListKey, sellQuestion } from '../src/logic/trade';

const cruiser = { id: 7, name: 'Light cruiser', price: 150075 };

describe('trade', () => {
  it('shows the exact balance after a purchase, without float errors', () => {
    // 0.30 - 0.10 in floats is 0.19999…; in units it is exactly 0.20.
    expect(buyQuestion(en, { id: 1, name: 'Helmet', price: 10 }, 30)).toContain(
      'Balance after: 0.20 credits',
    );
    expect(buyQuestion(en, cruiser, 200000)).toBe(
      'Buy "Light cruiser" for 1500.75 credits? Balance after: 499.25 credits. [Y]es / [N]o',
    );
  });

  it('shows the balance after a sale', () => {
    expect(sellQuestion(en, { name: 'Turret', sellPrice: 1999 }, 1)).toContain(
      'Balance after: 20.00 credits',
    );
  });

  it('refuses an owned or unaffordable item before asking', () => {
    expect(checkBuy(en, cruiser, 150075, new Set())).toEqual({ ok: true, balanceAfter: 0 });
    expect(checkBuy(en, cruiser, 150074, new Set())).toEqual({
      ok: false,
      message: 'Not enough credits: it costs 1500.75, you have 1500.74.',
    });
    expect(checkBuy(en, cruiser, 10 ** 9, new Set([7]))).toEqual({
      ok: false,
      message: en.shop.alreadyOwned,
    });
  });

  it('reads yes/no in both keyboard layouts and ignores other keys', () => {
    expect(confirmAnswer('y', {})).toBe('yes');
    expect(confirmAnswer('Y', {})).toBe('yes');
    expect(confirmAnswer('н', {})).toBe('yes');
    expect(confirmAnswer('n', {})).toBe('no');
    expect(confirmAnswer('', { escape: true })).toBe('no');
    expect(confirmAnswer('x', {})).toBeNull();
    expect(confirmAnswer('', { return: true })).toBeNull();
  });
});

describe('handleTradeListKey', () => {
  function harness(asked: string | null, busy = false) {
    const log: string[] = [];
    const state = {
      busy,
      asked,
      trade: (item: string) => log.push(`trade ${item}`),
      closeQuestion: () => log.push('close'),
      move: (move: string) => log.push(`move ${move}`),
    };
    return { log, state };
  }

  it('answers an open question: yes trades and closes, no closes, other keys are swallowed', () => {
    const yes = harness('helmet');
    expect(handleTradeListKey('y', {}, yes.state)).toBe(true);
    expect(yes.log).toEqual(['trade helmet', 'close']);
    const no = harness('helmet');
    expect(handleTradeListKey('', { escape: true }, no.state)).toBe(true);
    expect(no.log).toEqual(['close']);
    const other = harness('helmet');
    expect(handleTradeListKey('', { downArrow: true }, other.state)).toBe(true);
    expect(other.log).toEqual([]);
  });

  it('moves the list without a question, leaves other keys to the screen, and ignores keys while busy', () => {
    const free = harness(null);
    expect(handleTradeListKey('', { pageDown: true }, free.state)).toBe(true);
    expect(handleTradeListKey('s', {}, free.state)).toBe(false);
    expect(free.log).toEqual(['move pageDown']);
    const busy = harness('helmet', true);
    expect(handleTradeListKey('y', {}, busy.state)).toBe(true);
    expect(busy.log).toEqual([]);
  });
});
