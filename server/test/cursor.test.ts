/** Unit tests of keyset cursors: they round-trip, and anything a client altered is a 400, never a 500. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, pageOf } from '../src/lib/cursor';
import { DomainError } from '../src/lib/domain-error';

const b64 = (text: string) => Buffer.from(text).toString('base64url');

function refusal(cursor: string, shape: readonly ('s' | 'n')[]): DomainError {
  try {
    decodeCursor(cursor, shape);
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return error as DomainError;
  }
  throw new Error(`cursor ${cursor} was accepted`);
}

describe('cursors', () => {
  it('round-trip keys of numbers and strings, as URL-safe text', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: Number.MAX_SAFE_INTEGER }),
        fc.string({ maxLength: 100, unit: 'grapheme' }),
        (n, s) => {
          const cursor = encodeCursor([n, s]);
          expect(cursor).toMatch(/^[\w-]+$/);
          expect(decodeCursor<[number, string]>(cursor, ['n', 's'])).toEqual([n, s]);
        },
      ),
    );
  });

  it.each([
    ['garbage', '!!!not base64!!!', ['n']],
    ['base64 of text that is not JSON', b64('hello'), ['n']],
    ['base64 of an object', b64('{"id":5}'), ['n']],
    ['base64 of a number', b64('5'), ['n']],
    ['base64 of null', b64('null'), ['n']],
    ['a negative number', b64('[-1]'), ['n']],
    ['a fraction', b64('[1.5]'), ['n']],
    ['an unsafe integer', b64('[9007199254740993]'), ['n']],
    ['1e300', b64('[1e300]'), ['n']],
    ['a string where a number belongs', b64('["5"]'), ['n']],
    ['a number where a string belongs', b64('[5]'), ['s']],
    ['too many parts', b64('[1,2]'), ['n']],
    ['too few parts', b64('[1]'), ['n', 's']],
    ['an empty array', b64('[]'), ['n']],
    ['a string over 100 characters', b64(JSON.stringify(['x'.repeat(101)])), ['s']],
    ['a nested array', b64('[[1]]'), ['n']],
    ['true', b64('[true]'), ['n']],
  ] as const)('refuses %s with VALIDATION_ERROR on querystring/cursor', (_label, cursor, shape) => {
    const error = refusal(cursor, shape);
    expect(error.code).toBe('VALIDATION_ERROR');
    expect(error.status).toBe(400);
    expect(error.toBody().error.details).toEqual([
      { field: 'querystring/cursor', message: 'not a cursor from this list' },
    ]);
  });

  it('never throws anything but a VALIDATION_ERROR for any text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        try {
          const parts = decodeCursor(text, ['n']);
          expect(parts).toHaveLength(1);
          expect(Number.isSafeInteger(parts[0]) && (parts[0] as number) >= 0).toBe(true);
        } catch (error) {
          expect(error).toBeInstanceOf(DomainError);
          expect((error as DomainError).code).toBe('VALIDATION_ERROR');
        }
      }),
    );
  });

  it('pageOf: a next cursor only when a row beyond the limit was fetched, pointing at the last row shown', () => {
    const rows = [{ id: 1 }, { id: 2 }, { id: 3 }];
    expect(pageOf(rows, 3, (r) => [r.id])).toEqual({ page: rows, nextCursor: null });
    expect(pageOf(rows, 5, (r) => [r.id])).toEqual({ page: rows, nextCursor: null });
    expect(pageOf([], 5, (r: { id: number }) => [r.id])).toEqual({ page: [], nextCursor: null });
    const { page, nextCursor } = pageOf(rows, 2, (r) => [r.id]);
    expect(page).toEqual([{ id: 1 }, { id: 2 }]);
    expect(decodeCursor(nextCursor!, ['n'])).toEqual([2]);
  });
});
