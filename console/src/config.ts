/**
 * Start-up options of the console game, parsed once from the command line and the environment.
 * Flags win over the environment: `--server URL` over `METAGAMEPLAY_URL`, `--lang` over `LANG`.
 */
import { isLang, type Lang, langFromLocale } from '@metagameplay/game';

export const DEFAULT_SERVER_URL = 'http://127.0.0.1:8080';

export interface ConsoleConfig {
  serverUrl: string;
  lang: Lang;
  help: boolean;
}

export type ConfigResult = { ok: true; config: ConsoleConfig } | { ok: false; error: string; lang: Lang };

/** `argv` is the arguments after the script name (process.argv.slice(2)). */
export function parseConsoleConfig(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): ConfigResult {
  let server: string | undefined;
  let lang: string | undefined;
  let help = false;
  const localeLang = langFromLocale(env);
  const fail = (error: string): ConfigResult => ({
    ok: false,
    error,
    lang: lang && isLang(lang) ? lang : localeLang,
  });

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? splitOnce(arg) : [arg, undefined];
    if (flag === '--help' || flag === '-h') {
      help = true;
      continue;
    }
    if (flag !== '--server' && flag !== '--lang') return fail(`Unknown option "${arg}". Try --help.`);
    const value = inline ?? argv[++i];
    if (value === undefined || value === '') return fail(`Option ${flag} needs a value.`);
    if (flag === '--server') server = value;
    else lang = value;
  }

  if (lang !== undefined && !isLang(lang)) return fail(`Unknown language "${lang}": use en or ru.`);
  const rawUrl = server ?? (env.METAGAMEPLAY_URL || DEFAULT_SERVER_URL);
  const serverUrl = normalizeServerUrl(rawUrl);
  if (serverUrl === null) return fail(`"${rawUrl}" is not an http(s) URL of a game server.`);
  return { ok: true, config: { serverUrl, lang: lang ?? localeLang, help } };
}

function splitOnce(arg: string): [string, string] {
  const at = arg.indexOf('=');
  return [arg.slice(0, at), arg.slice(at + 1)];
}

/** The URL without a trailing slash, or null when it is not http(s). */
function normalizeServerUrl(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  return url.toString().replace(/\/+$/, '');
}
