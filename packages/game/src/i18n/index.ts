/** Language selection: the two message tables and how a language is chosen. */
import { en, type Messages } from './en';
import { ru } from './ru';
import { webEn, type WebMessages } from './web-en';
import { webRu } from './web-ru';

export { en, ru, webEn, webRu };
export type { Messages, WebMessages };
export type Lang = 'en' | 'ru';

export const messages: Record<Lang, Messages> = { en, ru };

/** The browser game's own texts (buttons, labels); it shows `messages` too. */
export const webMessages: Record<Lang, WebMessages> = { en: webEn, ru: webRu };

export function isLang(value: string): value is Lang {
  return value === 'en' || value === 'ru';
}

/** Russian when a locale variable (LC_ALL, LC_MESSAGES, LANG, in POSIX precedence) says ru_*, else English. */
export function langFromLocale(env: Readonly<Record<string, string | undefined>>): Lang {
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return /^ru([_.@-]|$)/i.test(locale) ? 'ru' : 'en';
}

/** Russian when the browser's preferred languages (navigator.languages, in order) put a ru* before en*, else English. */
export function langFromBrowser(languages: readonly string[]): Lang {
  for (const tag of languages) {
    if (/^ru\b/i.test(tag)) return 'ru';
    if (/^en\b/i.test(tag)) return 'en';
  }
  return 'en';
}
