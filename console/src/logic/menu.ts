/** The home menu: its entries in order, and which one a key picks or moves to. */
import type { ScreenName } from '../game-context';

export type MenuEntry = Exclude<ScreenName, 'login' | 'home'> | 'refresh' | 'logout' | 'quit';

/** In the order of `t.home.menu`; Log out sits beside Quit, after the game's own screens. */
export const MENU: readonly MenuEntry[] = [
  'shop',
  'inventory',
  'history',
  'market',
  'refresh',
  'lobby',
  'quickmatch',
  'battles',
  'leaderboard',
  'logout',
  'quit',
];

/** The key that picks an entry, as the menu shows it: 1-9, then 0 for the tenth, Q for Quit. */
export function menuShortcut(index: number): string {
  if (MENU[index] === 'quit') return 'Q';
  return index < 9 ? String(index + 1) : index === 9 ? '0' : '';
}

export type MenuKey = { upArrow?: boolean; downArrow?: boolean; return?: boolean; escape?: boolean };

export type MenuStep = { selected: number; choose: MenuEntry | null };

export function menuKey(selected: number, input: string, key: MenuKey): MenuStep {
  const count = MENU.length;
  if (key.upArrow) return { selected: (selected - 1 + count) % count, choose: null };
  if (key.downArrow) return { selected: (selected + 1) % count, choose: null };
  if (key.return) return { selected, choose: MENU[selected] ?? null };
  // 1-9 pick the first nine entries, 0 the tenth.
  const digit = /^[0-9]$/.test(input) ? (Number(input) + 9) % 10 : -1;
  const byDigit = MENU[digit];
  if (byDigit) return { selected: digit, choose: byDigit };
  const letter = input.toLowerCase();
  if (letter === 'q' || letter === 'й') return { selected, choose: 'quit' };
  return { selected, choose: null };
}
