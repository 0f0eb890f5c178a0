/**
 * `@metagameplay/game/admin`: what only the operator's console (the browser game's `/admin`) uses —
 * its en/ru texts, the grouping of ledger types into credits created and destroyed, the checks of
 * what an operator types. A separate entry from the game's, so that importing the game's texts never
 * pulls these into a player's bundle (a bundler keeps every export of a module it reaches).
 */
import type { Lang } from './i18n/index';
import { adminEn, type AdminMessages } from './i18n/admin-en';
import { adminRu } from './i18n/admin-ru';

export { adminEn, adminRu };
export type { AdminMessages };
export * from './logic/admin-input';
export * from './logic/economy';

export const adminMessages: Record<Lang, AdminMessages> = { en: adminEn, ru: adminRu };
