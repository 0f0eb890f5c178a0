/**
 * Fuzzing the HTTP API with fast-check, as an attacker would: every route with hostile path ids (huge,
 * negative, zero, `__proto__`, percent-encoded bytes), repeated and array query parameters, deep or
 * prototype-polluting JSON, numbers past 2^53, odd methods and headers (Accept-Language among them). Whatever
 * comes in, the answer is below 500 and, when an error, exactly the documented body. On every backend the
 * other integration tests use (embedded, and real Postgres with TEST_DATABASE_URL); a fixed seed and a
 * bounded number of runs keep it deterministic and about a second per backend.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, books, call, fund, makeAdmin, register, type TestPlayer } from './helpers/http';
import { backends, startServer, type TestServer } from './helpers/server';

const ROUTES: [string, string][] = [
  ['POST', '/auth/register'],
  ['POST', '/auth/login'],
  ['POST', '/auth/logout'],
  ['GET', '/me'],
  ['GET', '/me/balance'],
  ['GET', '/me/items'],
  ['GET', '/me/transactions'],
  ['POST', '/me/items/{id}/sell'],
  ['GET', '/players/{id}'],
  ['GET', '/shop/items'],
  ['GET', '/shop/items/{id}'],
  ['POST', '/shop/items/{id}/buy'],
  ['POST', '/admin/items'],
  ['PATCH', '/admin/items/{id}'],
  ['DELETE', '/admin/items/{id}'],
  ['POST', '/admin/players/{id}/credits'],
];

const hostileId = fc.oneof(
  fc.constantFrom('0', '-1', '2147483648', '9007199254740993', '1e3', '0x10', '__proto__', 'constructor'),
  fc.constantFrom(
    '%00',
    '%FF',
    '%2e%2e',
    '..',
    'null',
    '[]',
    '3.5',
    ' 3',
    '00000000-0000-4000-8000-000000000000',
  ),
  fc.integer({ min: -5, max: 20 }).map(String),
  fc.string({ maxLength: 12 }).map(encodeURIComponent),
);

const hostileScalar = fc.oneof(
  fc.constantFrom(1e308, -1, 0, 2 ** 53 + 1, 1.5, '', '\u0000', '__proto__', true, null),
  fc.integer(),
  fc.string({ maxLength: 20 }),
);

const hostileJson: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileScalar,
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(
      fc.constantFrom('__proto__', 'constructor', 'name', 'price', 'amount', 'nickname', 'password', 'x'),
      tie('value'),
      { maxKeys: 4 },
    ),
  ),
})).value;

const hostileQuery = fc
  .array(
    fc.tuple(
      fc.constantFrom('limit', 'cursor', 'search', 'lang', '__proto__', 'limit[]', 'x'),
      fc.oneof(
        hostileId,
        fc.constantFrom('101', '-5', 'WzIxNDc0ODM2NDhd', 'W10', '%E0%A4%A', 'ru', 'en-GB', 'x-'),
      ),
    ),
    { maxLength: 4 },
  )
  .map((pairs) => (pairs.length ? `?${pairs.map(([k, v]) => `${k}=${v}`).join('&')}` : ''));

describe.each(backends)('fuzzing the API on %s', (backend) => {
  let server: TestServer;
  let pilot: TestPlayer;
  let boss: TestPlayer;

  beforeAll(async () => {
    server = await startServer(backend);
    pilot = await register(server);
    // Enough credits for the buys to go through (and the sells after them), not only be refused.
    await fund(server, pilot.player.id, 10_000_000);
    boss = await register(server);
    await makeAdmin(server, boss.player.id);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('no 5xx and only the documented error body, whatever is sent', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ROUTES),
        fc.constantFrom<('route' | 'HEAD' | 'OPTIONS' | 'PUT')[]>(['route'], ['HEAD'], ['OPTIONS'], ['PUT']),
        hostileId,
        hostileQuery,
        fc.option(hostileJson, { nil: undefined }),
        fc.constantFrom<'none' | 'pilot' | 'boss'>('none', 'pilot', 'boss'),
        fc.option(fc.string({ maxLength: 80 }), { nil: undefined }),
        fc.option(
          fc.oneof(
            fc.constantFrom('ru', 'ru-RU,ru;q=0.9', 'en;q=0', 'ru;q=abc', '*', 'de, fr;q=0.5', ';;,;q=', ''),
            fc.string({ maxLength: 40 }),
          ),
          { nil: undefined },
        ),
        async ([method, template], [verb], id, query, body, as, requestId, language) => {
          const path = api(template.replace('{id}', id)) + query;
          const token = as === 'pilot' ? pilot.token : as === 'boss' ? boss.token : undefined;
          const headers: Record<string, string> = {};
          if (requestId !== undefined && /^[\x20-\x7e]*$/.test(requestId))
            headers['x-request-id'] = requestId;
          if (language !== undefined && /^[\x20-\x7e]*$/.test(language))
            headers['accept-language'] = language;
          const chosen: string = verb === 'route' || verb === undefined ? method : verb;
          const answer = await call(server, chosen, path, {
            token,
            headers,
            ...(body === undefined || chosen === 'HEAD' || chosen === 'GET' ? {} : { body }),
          });
          expect(answer.status, `${chosen} ${path}: ${answer.text}`).toBeLessThan(500);
          if (answer.status >= 400 && chosen !== 'HEAD') {
            expect(Object.keys(answer.body), `${chosen} ${path}: ${answer.text}`).toEqual(['error']);
            expect(answer.body.error.code).toMatch(/^[A-Z_]+$/);
            expect(answer.body.error.message).toBeTypeOf('string');
          }
          expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
          const echoed = answer.headers.get('x-request-id') ?? '';
          expect(echoed).toMatch(/^[\w.-]{1,64}$/);
        },
      ),
      { numRuns: 150, seed: 20261201 },
    );
  }, 600_000);

  it('money moves with hostile extras (key, language, body) answer 200 or a documented error; books stay whole', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('buy', 'sell'),
        fc.integer({ min: 0, max: 17 }),
        fc.oneof(
          { arbitrary: fc.constantFrom('', '?lang=ru', '?lang=en', '?lang=zz'), weight: 4 },
          { arbitrary: fc.constantFrom('?lang=', '?lang=ru&lang=en', '?lang=__proto__'), weight: 1 },
        ),
        fc.oneof(
          { arbitrary: fc.constantFrom(undefined, 'k1', 'k2', 'k3'), weight: 4 },
          { arbitrary: fc.constantFrom(' ', 'x'.repeat(129), 'ключ'), weight: 1 },
          { arbitrary: fc.string({ maxLength: 8 }), weight: 1 },
        ),
        fc.option(
          fc.oneof(fc.constantFrom('ru', 'en-US,ru;q=0.5', 'ru;q=2', '*'), fc.string({ maxLength: 20 })),
          {
            nil: undefined,
          },
        ),
        fc.oneof(
          { arbitrary: fc.constant(undefined), weight: 6 },
          { arbitrary: fc.record({ expectedPrice: fc.integer({ min: 0, max: 1_000_000 }) }), weight: 2 },
          { arbitrary: fc.oneof(fc.record({ expectedPrice: hostileScalar }), hostileJson), weight: 1 },
        ),
        async (move, id, query, key, language, body) => {
          const headers: Record<string, string> = {};
          if (key !== undefined && /^[\x20-\x7e]*$/.test(key)) headers['idempotency-key'] = key;
          if (language !== undefined && /^[\x20-\x7e]*$/.test(language))
            headers['accept-language'] = language;
          const path = api(move === 'buy' ? `/shop/items/${id}/buy` : `/me/items/${id}/sell`) + query;
          const answer = await call(server, 'POST', path, { token: pilot.token, headers, body });
          const what = `POST ${path} ${JSON.stringify(headers)} ${JSON.stringify(body)}: ${answer.text}`;
          expect([200, 400, 404, 409], what).toContain(answer.status);
          if (answer.status >= 400) {
            expect(Object.keys(answer.body), what).toEqual(['error']);
            expect(answer.body.error.code).toMatch(/^[A-Z_]+$/);
          } else {
            expect(answer.body.item.id, what).toBe(id);
            expect(answer.body.item.name, what).toBeTypeOf('string');
          }
        },
      ),
      { numRuns: 100, seed: 20261202 },
    );
    const after = await books(server, pilot.player.id);
    expect(after.balance).toBe(after.ledgerSum);
  }, 600_000);
});
