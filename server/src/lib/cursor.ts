/**
 * Opaque keyset cursors: the sort key of the last row of a page, as base64url JSON. A cursor a client
 * altered decodes to a 400, never to a server error or a page from somewhere else.
 */
import { DomainError } from './domain-error';

export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/** The largest value of a Postgres `integer` column (item ids): a cursor past it is not from a list. */
const INT4_MAX = 2_147_483_647;

/**
 * Decodes a cursor whose parts must match `shape`: 's' string, 'n' safe non-negative integer (bigint
 * keys such as ledger ids), 'i' non-negative integer that fits an `integer` column (item ids), 'z' any
 * integer that fits an `integer` column (ratings).
 */
export function decodeCursor<T extends readonly (string | number)[]>(
  cursor: string,
  shape: readonly ('s' | 'n' | 'i' | 'z')[],
): T {
  const invalid = () =>
    new DomainError('VALIDATION_ERROR', 'Invalid cursor', [
      { field: 'querystring/cursor', message: 'not a cursor from this list' },
    ]);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(parsed) || parsed.length !== shape.length) throw invalid();
  parsed.forEach((part: unknown, i) => {
    const ok =
      shape[i] === 's'
        ? typeof part === 'string' && part.length <= 100
        : shape[i] === 'z'
          ? Number.isInteger(part) && Math.abs(part as number) <= INT4_MAX
          : typeof part === 'number' &&
            Number.isSafeInteger(part) &&
            part >= 0 &&
            (shape[i] === 'n' || part <= INT4_MAX);
    if (!ok) throw invalid();
  });
  return parsed as unknown as T;
}

/** Given rows fetched with limit + 1, returns the page and the cursor of the next one. */
export function pageOf<R>(
  rows: R[],
  limit: number,
  keyOf: (row: R) => (string | number)[],
): { page: R[]; nextCursor: string | null } {
  if (rows.length <= limit) return { page: rows, nextCursor: null };
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { page, nextCursor: last === undefined ? null : encodeCursor(keyOf(last)) };
}
