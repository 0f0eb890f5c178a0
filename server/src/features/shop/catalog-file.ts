/**
 * Reads the catalog file (server/initial_items.json or ITEMS_FILE). Prices are credits with up to two
 * decimals and are converted to minor units exactly; any malformed entry stops start-up with one line.
 */
import { readFile } from 'node:fs/promises';
import { MAX_MONEY, parseCredits } from '@metagameplay/protocol';
import { ConfigError } from '../../config';

export interface CatalogEntry {
  name: string;
  /** Translations by language code (`en`, `ru`); absent ones fall back to `name`. */
  names: Record<string, string>;
  price: number; // minor units
  power: number;
}

export async function readCatalogFile(file: string): Promise<CatalogEntry[]> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : 'is not valid JSON';
    throw new ConfigError('ITEMS_FILE', `${reason}: ${file}`);
  }
  if (!Array.isArray(raw)) throw new ConfigError('ITEMS_FILE', `must hold a JSON array of items: ${file}`);
  const seen = new Set<string>();
  return raw.map((entry: unknown, index): CatalogEntry => {
    const fail = (why: string) => new ConfigError('ITEMS_FILE', `entry ${index} ${why}: ${file}`);
    if (typeof entry !== 'object' || entry === null) throw fail('is not an object');
    const { name, names, price, power } = entry as Record<string, unknown>;
    if (typeof name !== 'string' || name.trim() === '' || name.length > 100)
      throw fail('needs a name of 1..100 characters');
    if (seen.has(name)) throw fail(`repeats the name "${name}"`);
    seen.add(name);
    const units = typeof price === 'number' || typeof price === 'string' ? parseCredits(price) : null;
    if (units === null || units > MAX_MONEY) throw fail('needs a price in credits with at most two decimals');
    const itemPower = power ?? 0;
    if (
      typeof itemPower !== 'number' ||
      !Number.isInteger(itemPower) ||
      itemPower < 0 ||
      itemPower > 1_000_000
    ) {
      throw fail('needs a power that is a whole number from 0 to 1000000');
    }
    return { name, names: translationsOf(names, fail), price: units, power: itemPower };
  });
}

/** `names`: optional, an object of language code (2..3 lower-case letters) → name of 1..100 characters. */
function translationsOf(names: unknown, fail: (why: string) => Error): Record<string, string> {
  if (names === undefined) return {};
  if (typeof names !== 'object' || names === null || Array.isArray(names)) {
    throw fail('has "names" that is not an object of language → name');
  }
  const out: Record<string, string> = {};
  for (const [language, translated] of Object.entries(names)) {
    if (!/^[a-z]{2,3}$/.test(language))
      throw fail(`has a language "${language}" that is not a code like "en"`);
    if (typeof translated !== 'string' || translated.trim() === '' || translated.length > 100) {
      throw fail(`needs names.${language} of 1..100 characters`);
    }
    out[language] = translated;
  }
  return out;
}
