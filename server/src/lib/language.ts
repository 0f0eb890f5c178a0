/**
 * The language a request wants item names in: `?lang=` when given, else the best of `Accept-Language`
 * the server has names in, else English. Only the primary subtag counts (`ru-RU` is `ru`).
 */
import { LANGUAGES, type Language } from '@metagameplay/protocol';

function supported(tag: string): Language | null {
  const primary = tag.trim().split('-')[0]?.toLowerCase() ?? '';
  return (LANGUAGES as readonly string[]).includes(primary) ? (primary as Language) : null;
}

export function languageOf(lang: string | undefined, acceptLanguage: string | undefined): Language {
  if (lang !== undefined) return supported(lang) ?? LANGUAGES[0];
  if (!acceptLanguage) return LANGUAGES[0];
  let best: Language | null = null;
  let bestQ = 0;
  for (const part of acceptLanguage.slice(0, 512).split(',')) {
    const [tag = '', ...params] = part.split(';');
    const qParam = params.find((p) => p.trim().startsWith('q='));
    const q = qParam === undefined ? 1 : Number(qParam.trim().slice(2));
    const language = supported(tag);
    if (language && Number.isFinite(q) && q > bestQ) {
      best = language;
      bestQ = q;
    }
  }
  return best ?? LANGUAGES[0];
}

/** The language of a request's item names, from its `?lang=` and `Accept-Language`. */
export function requestLanguage(request: {
  query: unknown;
  headers: { 'accept-language'?: string | undefined };
}): Language {
  const { lang } = (request.query ?? {}) as { lang?: unknown };
  return languageOf(typeof lang === 'string' ? lang : undefined, request.headers['accept-language']);
}
