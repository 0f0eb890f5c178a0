/** Start-up options, validation helpers, the owned-ids loader and the language tables. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_SERVER_URL, parseConsoleConfig } from '../src/config';
import {
  editSearch,
  en,
  formatWhen,
  langFromLocale,
  loadOwnedIds,
  ru,
  searchParam,
  signedCredits,
} from '@metagameplay/game';
import { MENU, menuKey } from '../src/logic/menu';

describe('console config', () => {
  it('defaults to the local server in English', () => {
    expect(parseConsoleConfig([], {})).toEqual({
      ok: true,
      config: { serverUrl: DEFAULT_SERVER_URL, lang: 'en', help: false },
    });
  });

  it('takes flags over the environment', () => {
    const env = { METAGAMEPLAY_URL: 'http://galaxy:1/', LANG: 'ru_RU.UTF-8' };
    expect(parseConsoleConfig([], env)).toMatchObject({
      ok: true,
      config: { serverUrl: 'http://galaxy:1', lang: 'ru' },
    });
    expect(parseConsoleConfig(['--server', 'https://x.example', '--lang=en'], env)).toMatchObject({
      ok: true,
      config: { serverUrl: 'https://x.example', lang: 'en' },
    });
  });

  it('explains bad options instead of failing later', () => {
    expect(parseConsoleConfig(['--server'], {})).toMatchObject({ ok: false });
    expect(parseConsoleConfig(['--server', 'ftp://x'], {})).toMatchObject({ ok: false });
    expect(parseConsoleConfig(['--lang', 'de'], {})).toMatchObject({ ok: false });
    expect(parseConsoleConfig(['--bogus'], {})).toMatchObject({ ok: false });
  });

  it('detects Russian locales only', () => {
    expect(langFromLocale({ LANG: 'ru_RU.UTF-8' })).toBe('ru');
    expect(langFromLocale({ LC_ALL: 'ru' })).toBe('ru');
    expect(langFromLocale({ LANG: 'rus' })).toBe('en');
    expect(langFromLocale({ LANG: 'en_US.UTF-8' })).toBe('en');
  });
});

describe('language tables', () => {
  it('have the same keys in both languages', () => {
    const keys = (o: object, prefix = ''): string[] =>
      Object.entries(o).flatMap(([k, v]) =>
        typeof v === 'object' && v !== null && !Array.isArray(v)
          ? keys(v as object, `${prefix}${k}.`)
          : [`${prefix}${k}`],
      );
    expect(keys(ru)).toEqual(keys(en));
    expect(ru.home.menu).toHaveLength(en.home.menu.length);
  });
});

describe('small helpers', () => {
  it('edits the shop search safely', () => {
    expect(editSearch('pla', 's', {})).toBe('plas');
    expect(editSearch('plas', '', { backspace: true })).toBe('pla');
    expect(editSearch('', '\u001b[B', {})).toBe('[B');
    expect(editSearch('x'.repeat(64), 'y', {})).toHaveLength(64);
    expect(editSearch('щит', '', { delete: true })).toBe('щи');
    // Keys read in one chunk: each backspace still removes one character.
    expect(editSearch('shield', '\u007f\u007f\u007f', {})).toBe('shi');
    expect(editSearch('ab', '\bc', {})).toBe('ac');
    expect(searchParam('   ')).toBeUndefined();
    expect(searchParam(' turret ')).toBe('turret');
  });

  it('formats ledger rows', () => {
    expect(signedCredits(1234)).toBe('+12.34');
    expect(signedCredits(-150075)).toBe('-1500.75');
    expect(formatWhen('2026-11-29T12:05:09.123Z')).toBe('2026-11-29 12:05');
  });

  it('picks menu entries by arrow, digit and letter', () => {
    expect(menuKey(0, '', { upArrow: true })).toEqual({ selected: 10, choose: null });
    expect(menuKey(0, '2', {})).toEqual({ selected: 1, choose: 'inventory' });
    expect(menuKey(2, '', { return: true })).toEqual({ selected: 2, choose: 'history' });
    expect(menuKey(0, 'q', {}).choose).toBe('quit');
    expect(menuKey(0, '6', {}).choose).toBe('lobby');
    expect(menuKey(0, '9', {}).choose).toBe('leaderboard');
    expect(menuKey(0, '0', {})).toEqual({ selected: 9, choose: 'logout' });
    expect(menuKey(0, '4', {}).choose).toBe('market');
    // Log out sits beside Quit, after the battle screens (not between Refresh and them).
    expect(MENU.slice(-2)).toEqual(['logout', 'quit']);
    expect(MENU.indexOf('refresh')).toBeLessThan(MENU.indexOf('lobby'));
    expect(menuKey(0, 'x', {}).choose).toBeNull();
  });

  it('loads owned ids across pages', async () => {
    const pages: Record<string, { items: { id: number }[]; nextCursor: string | null }> = {
      first: { items: [{ id: 1 }, { id: 2 }], nextCursor: 'b' },
      b: { items: [{ id: 9 }], nextCursor: null },
    };
    const api = { myItems: (q?: { cursor?: string }) => Promise.resolve(pages[q?.cursor ?? 'first']!) };
    expect([...(await loadOwnedIds(api as never))]).toEqual([1, 2, 9]);
  });
});
