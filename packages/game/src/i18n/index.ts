/** Language selection: the two message tables and how a language is chosen. */
import { en, type Messages } from './en';
import { ru } from './ru';

export { en, ru };
export type { Messages };
export type Lang = 'en' | 'ru';

export const messages: Record<Lang, Messages> = { en, ru };

export function isLang(value: string): value is Lang {
  return value === 'en' || value === 'ru';
}

/** Russian when a locale variable (LC_ALL, LC_MESSAGES, LANG, in POSIX precedence) says ru_*, else English. */
export function langFromLocale(env: Readonly<Record<string, string | undefined>>): Lang {
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return /^ru([_.@-]|$)/i.test(locale) ? 'ru' : 'en';
}
