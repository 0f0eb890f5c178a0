/** Language from the browser, and the browser game's texts in step between languages. */
import { describe, expect, it } from 'vitest';
import { en, langFromBrowser, ru, webEn, webRu } from '../src/i18n/index';

function keys(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [prefix];
  return Object.entries(value).flatMap(([key, inner]) => keys(inner, `${prefix}.${key}`));
}

describe('langFromBrowser', () => {
  it('takes the first of ru/en in the preferred order', () => {
    expect(langFromBrowser(['ru-RU', 'en-US'])).toBe('ru');
    expect(langFromBrowser(['en-GB', 'ru'])).toBe('en');
    expect(langFromBrowser(['de-DE', 'ru'])).toBe('ru');
    expect(langFromBrowser(['de-DE'])).toBe('en');
    expect(langFromBrowser([])).toBe('en');
    expect(langFromBrowser(['rus'])).toBe('en');
  });
});

describe('web texts', () => {
  it('Russian has every English key', () => {
    expect(keys(webRu).sort()).toEqual(keys(webEn).sort());
  });
});

describe('console texts', () => {
  it('a friendly battle (stake 0) says so instead of "0.00 credits each"', () => {
    expect(en.battles.result.stake('0.00')).toBe('Stake: none (a friendly battle)');
    expect(en.battles.result.stake('2.50')).toBe('Stake: 2.50 credits each');
    expect(ru.battles.result.stake('0.00')).toBe('Ставка: нет (дружеский бой)');
  });
});
