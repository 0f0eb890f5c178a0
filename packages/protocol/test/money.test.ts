/** Unit tests of money conversion: credits with up to two decimals ⇄ integer minor units, exactly. */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatCredits, MAX_MONEY, parseCredits, UNITS_PER_CREDIT } from '../src/money';

const itemsFile = new URL('../../../server/initial_items.json', import.meta.url);

/** Every price of the shipped catalog, in minor units, worked out by hand. */
const CATALOG_UNITS: Record<string, number> = {
  'Корабль класса Лёгкий крейсер': 150075,
  'Корабль класса Дредноут': 450030,
  'Боевой шлем': 5099,
  'Энергетический щит': 20040,
  'Скафандр для космических прогулок': 75020,
  Гипердвигатель: 180010,
  'Плазменное оружие': 90080,
  'Система жизнеобеспечения': 40050,
  Перехватчик: 160060,
  'Ремонтный комплект': 30025,
  'Модуль навигации': 70075,
  Турель: 60060,
  'Голографический модулятор': 17550,
  'Тактическая разведывательная станция': 450000,
  'Топливный бак': 25095,
};

describe('parseCredits', () => {
  it('converts every price of server/initial_items.json exactly, as parsed JSON numbers and as written', () => {
    const text = readFileSync(itemsFile, 'utf8');
    const items = JSON.parse(text) as { name: string; price: number }[];
    expect(items.map((i) => i.name).sort()).toEqual(Object.keys(CATALOG_UNITS).sort());
    // The prices as written in the file (4500.30 keeps its trailing zero here, unlike the parsed number).
    const written = [...text.matchAll(/"price":\s*([^,}\s]+)/g)].map((m) => m[1]!);
    expect(written).toHaveLength(items.length);
    items.forEach((item, index) => {
      const expected = CATALOG_UNITS[item.name];
      expect(parseCredits(item.price), item.name).toBe(expected);
      expect(parseCredits(written[index]!), written[index]).toBe(expected);
    });
    expect(parseCredits(1500.75)).toBe(150075);
    expect(parseCredits('4500.30')).toBe(450030);
    expect(parseCredits(4500.3)).toBe(450030);
    expect(parseCredits(50.99)).toBe(5099);
  });

  it('is exact where floating point arithmetic is not', () => {
    // The naive conversions that these helpers exist to avoid:
    expect(Math.floor(19.99 * 100)).toBe(1998);
    expect(Math.floor(1.15 * 100)).toBe(114);
    expect(parseCredits(19.99)).toBe(1999);
    expect(parseCredits(1.15)).toBe(115);
    expect(parseCredits(0.29)).toBe(29);
    expect(parseCredits(1.005)).toBe(null); // three decimals, however it would round
    expect(parseCredits(0.1 + 0.2)).toBe(null); // 0.30000000000000004: not a two-decimal amount
  });

  it('accepts whole numbers, one decimal, and zero', () => {
    expect(parseCredits(5)).toBe(500);
    expect(parseCredits('5')).toBe(500);
    expect(parseCredits(0.5)).toBe(50);
    expect(parseCredits('0.5')).toBe(50);
    expect(parseCredits('0.05')).toBe(5);
    expect(parseCredits(0)).toBe(0);
    expect(parseCredits('0.00')).toBe(0);
    expect(parseCredits('9999999999999.99')).toBe(MAX_MONEY - 1);
  });

  it('accepts MAX_MONEY itself and nothing above it', () => {
    expect(parseCredits(formatCredits(MAX_MONEY))).toBe(MAX_MONEY);
    expect(parseCredits('10000000000000')).toBe(MAX_MONEY);
    expect(parseCredits('10000000000000.01')).toBe(null);
    expect(parseCredits('99999999999999.99')).toBe(null);
    expect(parseCredits('100000000000000')).toBe(null);
  });

  it.each([
    ['three decimals (string)', '1.234'],
    ['three decimals (number)', 1.234],
    ['three decimals, trailing zero', '1.230'],
    ['a negative number', -5],
    ['a negative string', '-5'],
    ['a negative fraction', '-0.50'],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['-Infinity', Number.NEGATIVE_INFINITY],
    ['1e21 (exponent notation)', 1e21],
    ['1e-7 (exponent notation)', 1e-7],
    ['an exponent string', '1e3'],
    ['the empty string', ''],
    ['only spaces', '   '],
    ['a bare fraction', '.5'],
    ['a trailing dot', '5.'],
    ['a leading zero', '01.5'],
    ['a decimal comma', '1,5'],
    ['a hexadecimal string', '0x10'],
    ['a plus sign', '+5'],
    ['full-width digits', '１２'],
    ['an inner space', '1 000'],
    ['a currency suffix', '5 cr'],
  ])('rejects %s', (_label, value) => {
    expect(parseCredits(value)).toBeNull();
  });

  it('trims surrounding whitespace of a string (documented behaviour: " 1.5 " is 150)', () => {
    expect(parseCredits(' 1.5 ')).toBe(150);
    expect(parseCredits('\t2\n')).toBe(200);
  });

  it('reads -0 as 0 (String(-0) is "0")', () => {
    expect(parseCredits(-0)).toBe(0);
  });
});

describe('formatCredits', () => {
  it('writes exactly two decimals', () => {
    expect(formatCredits(150075)).toBe('1500.75');
    expect(formatCredits(450030)).toBe('4500.30');
    expect(formatCredits(5099)).toBe('50.99');
    expect(formatCredits(450000)).toBe('4500.00');
    expect(formatCredits(0)).toBe('0.00');
    expect(formatCredits(5)).toBe('0.05');
    expect(formatCredits(100)).toBe('1.00');
    expect(formatCredits(MAX_MONEY)).toBe('10000000000000.00');
  });

  it('keeps the sign of negative amounts, also below one credit', () => {
    expect(formatCredits(-5)).toBe('-0.05');
    expect(formatCredits(-150075)).toBe('-1500.75');
    expect(formatCredits(-100)).toBe('-1.00');
  });

  it('round-trips every amount of the API range through parseCredits', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_MONEY }), (units) => {
        expect(parseCredits(formatCredits(units))).toBe(units);
      }),
      { numRuns: 2000 },
    );
  });

  it('round-trips small amounts, where the fraction matters most', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100 * UNITS_PER_CREDIT }), (units) => {
        const text = formatCredits(units);
        expect(text).toMatch(/^\d+\.\d{2}$/);
        expect(parseCredits(text)).toBe(units);
        expect(parseCredits(Number(text))).toBe(units); // also through a JSON number
      }),
    );
  });

  it('mirrors negative amounts', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: MAX_MONEY }), (units) => {
        expect(formatCredits(-units)).toBe(`-${formatCredits(units)}`);
      }),
    );
  });
});
