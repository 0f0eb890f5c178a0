/** What the operator types: credits to minor units, a reason of 1..500 characters, a ban's future end. */
import { describe, expect, it } from 'vitest';
import { banUntilInput, MAX_ADMIN_AMOUNT, parseAmountInput, reasonInput } from '../src/logic/admin-input';

describe('parseAmountInput', () => {
  it('reads credits with up to two decimals as minor units, exactly', () => {
    expect(parseAmountInput('12')).toEqual({ ok: true, units: 1200 });
    expect(parseAmountInput('12.5')).toEqual({ ok: true, units: 1250 });
    expect(parseAmountInput('1500.75')).toEqual({ ok: true, units: 150075 });
    expect(parseAmountInput(' 0.01 ')).toEqual({ ok: true, units: 1 });
    expect(parseAmountInput('0.29')).toEqual({ ok: true, units: 29 }); // 0.29 * 100 is 28.999… in floating point
    expect(parseAmountInput('3,25')).toEqual({ ok: true, units: 325 });
    expect(parseAmountInput('1 000')).toEqual({ ok: true, units: 100000 });
  });

  it('refuses what is not an amount, zero, and more than the API takes', () => {
    for (const text of ['', ' ', 'abc', '1.234', '-5', '1e3', '12.', '.5', '0x10', '1.2.3', 'NaN']) {
      expect(parseAmountInput(text), text).toEqual({ ok: false, problem: 'format' });
    }
    expect(parseAmountInput('0')).toEqual({ ok: false, problem: 'zero' });
    expect(parseAmountInput('0.00')).toEqual({ ok: false, problem: 'zero' });
    expect(parseAmountInput(String(MAX_ADMIN_AMOUNT / 100))).toEqual({ ok: true, units: MAX_ADMIN_AMOUNT });
    expect(parseAmountInput('10000000000.01')).toEqual({ ok: false, problem: 'tooLarge' });
    expect(parseAmountInput('99999999999999999')).toEqual({ ok: false, problem: 'tooLarge' });
  });
});

describe('reasonInput', () => {
  it('takes 1..500 characters, trimmed, counted as a person counts them', () => {
    expect(reasonInput('  refund  ')).toBe('refund');
    expect(reasonInput('')).toBeNull();
    expect(reasonInput('   ')).toBeNull();
    expect(reasonInput('x'.repeat(500))).toBe('x'.repeat(500));
    expect(reasonInput('x'.repeat(501))).toBeNull();
    expect(reasonInput('🚀'.repeat(500))).toBe('🚀'.repeat(500));
  });
});

describe('banUntilInput', () => {
  it('turns a local date and time into an ISO instant, only in the future', () => {
    const now = new Date('2026-11-29T12:00').getTime();
    expect(banUntilInput('2026-11-30T12:00', now)).toBe(new Date('2026-11-30T12:00').toISOString());
    expect(banUntilInput('2026-11-29T11:59', now)).toBeNull();
    expect(banUntilInput('2026-11-29T12:00', now)).toBeNull();
    expect(banUntilInput('', now)).toBeNull();
    expect(banUntilInput('tomorrow', now)).toBeNull();
  });
});
