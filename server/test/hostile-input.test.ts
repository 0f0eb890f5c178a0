/**
 * Hostile input (issue 10): what an attacker sends that an honest client never does. Every answer must
 * be the documented error body `{error: {code, message, details?}}` with a 4xx, never a 5xx, a hang, an
 * empty body or Fastify's own error shape; and nothing it asks for may happen.
 */
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { rowsOf } from '../src/db/client';
import { buildApp } from '../src/app';
import { backfillNicknameSkeletons } from '../src/features/auth/auth.service';
import {
  type Answer,
  api,
  call,
  fund,
  makeAdmin,
  register,
  type TestPlayer,
  uniqueNickname,
} from './helpers/http';
import { parseResponse, type RawAnswer, rawHttp, rawRequest } from './helpers/raw-http';
import { backends, startServer, type TestServer } from './helpers/server';
import { redisConfigured, TEST_REDIS_URL } from './infra/redis-helpers';

const LEAK = /\n\s*at |node_modules|\/work\/|\/src\/|\.ts:\d|"stack"|statusCode/;
const JSON_TYPE = { 'content-type': 'application/json' };
const HELMET = 3;

/** Exactly `{error: {code, message, details?}}` with `status` and `code`, and the nosniff header. */
export function expectErrorBody(answer: Answer | RawAnswer, status: number, code: string): void {
  expect(answer.status, answer.text).toBe(status);
  const headers = answer.headers;
  const get = (name: string) => (headers instanceof Headers ? headers.get(name) : (headers[name] ?? null));
  expect(get('content-type')).toMatch(/^application\/json/);
  expect(get('x-content-type-options')).toBe('nosniff');
  const body = answer.body as { error: Record<string, unknown> };
  expect(Object.keys(body)).toEqual(['error']);
  expect(Object.keys(body.error).filter((k) => !['code', 'message', 'details'].includes(k))).toEqual([]);
  expect(body.error.code).toBe(code);
  expect(body.error.message).toBeTypeOf('string');
  expect(answer.text).not.toMatch(LEAK);
}

const cursorOf = (key: unknown) => Buffer.from(JSON.stringify(key)).toString('base64url');

describe.each(backends)('hostile input on %s', (backend) => {
  let server: TestServer;
  let pilot: TestPlayer;
  let boss: TestPlayer;

  beforeAll(async () => {
    server = await startServer(backend, { REQUEST_TIMEOUT_MS: '1500' });
    pilot = await register(server);
    await fund(server, pilot.player.id, 1_000_000);
    boss = await register(server);
    await makeAdmin(server, boss.player.id);
  });
  afterAll(async () => {
    await server?.close();
  });

  describe('cursors', () => {
    it('an item id past 2^31-1 in a cursor is a 400, like every bad cursor', async () => {
      expect(cursorOf([2147483648])).toBe('WzIxNDc0ODM2NDhd');
      for (const cursor of [cursorOf([2147483648]), cursorOf([Number.MAX_SAFE_INTEGER])]) {
        expectErrorBody(
          await call(server, 'GET', api(`/shop/items?cursor=${cursor}`)),
          400,
          'VALIDATION_ERROR',
        );
        expectErrorBody(
          await call(server, 'GET', api(`/me/items?cursor=${cursor}`), { token: pilot.token }),
          400,
          'VALIDATION_ERROR',
        );
      }
      // The largest id an item can have is still a cursor.
      const last = await call(server, 'GET', api(`/shop/items?cursor=${cursorOf([2147483647])}`));
      expect(last.status, last.text).toBe(200);
      expect(last.body.items).toEqual([]);
    });
  });

  describe('text that is not text', () => {
    it('a NUL character anywhere is a 400', async () => {
      expectErrorBody(await call(server, 'GET', api('/shop/items?search=%00')), 400, 'VALIDATION_ERROR');
      expectErrorBody(await call(server, 'GET', api('/shop/items?search=a%00b')), 400, 'VALIDATION_ERROR');
      const nul = '\u0000';
      const cases: [string, string, unknown, string | undefined][] = [
        ['POST', '/auth/register', { nickname: `ab${nul}cd`, password: 'long enough password' }, undefined],
        ['POST', '/auth/register', { nickname: uniqueNickname(), password: `pass${nul}word` }, undefined],
        ['POST', '/auth/login', { nickname: pilot.nickname, password: `pass${nul}word` }, undefined],
        ['POST', '/admin/items', { name: `Ship${nul}`, price: 100, power: 1 }, boss.token],
        ['PATCH', `/admin/items/${HELMET}`, { name: `Helmet${nul}` }, boss.token],
        [
          'POST',
          `/admin/players/${pilot.player.id}/credits`,
          { amount: 5, reason: `gift${nul}` },
          boss.token,
        ],
      ];
      for (const [method, path, body, token] of cases) {
        const answer = await call(server, method, api(path), { body, token });
        expectErrorBody(answer, 400, 'VALIDATION_ERROR');
      }
    });

    it('lone surrogates are refused, not altered: pass\\ud800word never logs in as pass\\udfffword', async () => {
      const nickname = uniqueNickname();
      const registered = await call(server, 'POST', api('/auth/register'), {
        rawBody: `{"nickname":"${nickname}","password":"pass\\ud800word"}`,
        headers: JSON_TYPE,
      });
      expectErrorBody(registered, 400, 'VALIDATION_ERROR');
      for (const name of ['Ship\\udc00', 'Ship\\ud800\\ud800']) {
        expectErrorBody(
          await call(server, 'POST', api('/admin/items'), {
            rawBody: `{"name":"${name}","price":100,"power":1}`,
            headers: JSON_TYPE,
            token: boss.token,
          }),
          400,
          'VALIDATION_ERROR',
        );
      }
      // A well-formed pair (an emoji) is text like any other.
      const pair = await call(server, 'GET', api('/shop/items?search=%F0%9F%9A%80'));
      expect(pair.status, pair.text).toBe(200);
    });

    it('bytes that are not UTF-8 are refused in a JSON body and in the query string', async () => {
      const nickname = uniqueNickname();
      const body = Buffer.concat([
        Buffer.from(`{"nickname":"${nickname}","password":"pass`),
        Buffer.from([0xff, 0xfe]),
        Buffer.from('word"}'),
      ]);
      const answer = await rawHttp(server.url, 'POST', api('/auth/register'), {
        headers: ['Content-Type: application/json'],
        body,
      });
      expectErrorBody(answer, 400, 'VALIDATION_ERROR');
      expect(
        (
          await call(server, 'POST', api('/auth/login'), {
            body: { nickname, password: 'pass\ufffd\ufffdword' },
          })
        ).status,
      ).toBe(404);
      expectErrorBody(await call(server, 'GET', api('/shop/items?search=%FF')), 400, 'VALIDATION_ERROR');
      expectErrorBody(
        await call(server, 'GET', api('/shop/items?search=%ED%A0%80')),
        400,
        'VALIDATION_ERROR',
      );
    });
  });

  describe("errors in Fastify's and node's shape", () => {
    it('a path segment that is not valid percent-encoding', async () => {
      expectErrorBody(await call(server, 'GET', api('/shop/items/%FF')), 400, 'VALIDATION_ERROR');
      expectErrorBody(await call(server, 'GET', api('/shop/items/%E0%A4%A')), 400, 'VALIDATION_ERROR');
    });

    it('a path parameter over 100 characters is a 414 URI_TOO_LONG', async () => {
      for (const answer of [
        await call(server, 'GET', api(`/shop/items/${'1'.repeat(101)}`)),
        await call(server, 'GET', api(`/players/${'a'.repeat(200)}`), { token: pilot.token }),
        await call(server, 'POST', api(`/shop/items/${'1'.repeat(101)}/buy`), { token: pilot.token }),
      ]) {
        // Also where the web client's catch-all route takes the path the router gave up on.
        expectErrorBody(answer, 414, 'URI_TOO_LONG');
      }
    });

    it('a 100 KB URL is a 431 HEADERS_TOO_LARGE with our body', async () => {
      const answer = await rawHttp(server.url, 'GET', api(`/shop/items?search=${'a'.repeat(100_000)}`));
      expectErrorBody(answer, 431, 'HEADERS_TOO_LARGE');
    });

    it('1,500 headers are refused with our body', async () => {
      const headers = Array.from({ length: 1500 }, (_, i) => `X-H${i}: ${'v'.repeat(10)}`);
      const answer = await rawHttp(server.url, 'GET', api('/shop/items'), { headers });
      // 1,500 x 20 bytes is over the 16 KiB head limit.
      expectErrorBody(answer, 431, 'HEADERS_TOO_LARGE');
    });

    it('1,500 short headers before Host: none is dropped, the request is answered', async () => {
      // Node used to keep the first 1,000 headers only: the Host after them vanished and node refused the
      // request itself, a 400 with an empty body.
      const headers = Array.from({ length: 1500 }, (_, i) => `X${i}: v\r\n`).join('');
      const answer = await rawRequest(
        server.url,
        `GET ${api('/shop/items')} HTTP/1.1\r\n${headers}Host: 127.0.0.1\r\nConnection: close\r\n\r\n`,
        // Not half-closed: node aborts a request whose client ended its side before the answer is ready.
        { keepOpen: true },
      );
      expect(answer.status, answer.text).toBe(200);
      expect(answer.body).toMatchObject({ items: expect.any(Array) });
    });

    it('an HTTP/1.1 request without Host is a 400 with our body', async () => {
      const answer = await rawRequest(
        server.url,
        `GET ${api('/shop/items')} HTTP/1.1\r\nConnection: close\r\n\r\n`,
      );
      expectErrorBody(answer, 400, 'VALIDATION_ERROR');
      expect((answer.body as { error: { details: unknown } }).error.details).toEqual([
        { field: 'headers/host', message: 'is required' },
      ]);
      // HTTP/1.0 has no Host rule.
      const old = await rawRequest(server.url, `GET ${api('/shop/items')} HTTP/1.0\r\n\r\n`, {
        keepOpen: true,
      });
      expect(old.status, old.text).toBe(200);
    });

    it('an unknown method and a malformed request line get our body', async () => {
      expectErrorBody(await rawHttp(server.url, 'FOO', api('/shop/items')), 400, 'VALIDATION_ERROR');
      expectErrorBody(await rawHttp(server.url, 'GET', 'no-slash'), 400, 'VALIDATION_ERROR');
      expectErrorBody(await rawRequest(server.url, 'GARBAGE\r\n\r\n'), 400, 'VALIDATION_ERROR');
      // A method node knows but no route takes: 404 with our body.
      expectErrorBody(await rawHttp(server.url, 'PROPFIND', api('/shop/items')), 404, 'NOT_FOUND');
    });

    it('a query string that is not URL-encoded is read as UTF-8 or refused, never a 5xx', async () => {
      const answer = await rawHttp(server.url, 'GET', Buffer.from(api('/shop/items?search=щит'), 'utf8'));
      if (answer.status === 200) expect((answer.body as { items: unknown[] }).items).toBeInstanceOf(Array);
      else expectErrorBody(answer, 400, 'VALIDATION_ERROR');
    });

    it('every non-JSON body is a 415 UNSUPPORTED_MEDIA_TYPE, text/plain included', async () => {
      const json = JSON.stringify({ nickname: uniqueNickname(), password: 'long enough password' });
      for (const type of ['text/plain', 'text/plain; charset=utf-8', 'application/xml', 'text/html']) {
        const answer = await call(server, 'POST', api('/auth/register'), {
          rawBody: json,
          headers: { 'content-type': type },
        });
        expectErrorBody(answer, 415, 'UNSUPPORTED_MEDIA_TYPE');
      }
    });
  });

  describe('time to send a request', () => {
    it('a body that never finishes arriving is cut off after REQUEST_TIMEOUT_MS with 408 and our body', async () => {
      const start = [
        `POST ${api('/auth/register')} HTTP/1.1`,
        'Host: 127.0.0.1',
        'Content-Type: application/json',
        'Content-Length: 1000',
        '',
        '{"nickname":',
      ].join('\r\n');
      const answer = await rawRequest(server.url, start, { keepOpen: true, timeoutMs: 10_000 });
      expect(answer.status, `${answer.elapsedMs} ms`).not.toBe(-1); // -1: still open after 10 s
      expect(answer.elapsedMs).toBeLessThan(6_000);
      expectErrorBody(answer, 408, 'REQUEST_TIMEOUT');
    });

    it('headers that never finish are cut off too', async () => {
      const answer = await rawRequest(server.url, `GET ${api('/shop/items')} HTTP/1.1\r\nHost: x\r\n`, {
        keepOpen: true,
        timeoutMs: 10_000,
      });
      expect(answer.status, `${answer.elapsedMs} ms`).not.toBe(-1);
      expect(answer.elapsedMs).toBeLessThan(6_000);
    });
  });

  describe('headers', () => {
    it('nosniff everywhere; no-store on tokens and private data; the public catalog may be cached', async () => {
      const login = await call(server, 'POST', api('/auth/login'), {
        body: { nickname: pilot.nickname, password: pilot.password },
      });
      expect(login.status).toBe(200);
      const privateAnswers = [
        login,
        await call(server, 'POST', api('/auth/register'), {
          body: { nickname: uniqueNickname(), password: 'long enough password' },
        }),
        await call(server, 'GET', api('/me'), { token: pilot.token }),
        await call(server, 'GET', api('/me/balance'), { token: pilot.token }),
        await call(server, 'GET', api('/me/items'), { token: pilot.token }),
        await call(server, 'GET', api('/me/transactions'), { token: pilot.token }),
        await call(server, 'GET', api('/me'), {}), // a 401 from a private route
        await call(server, 'GET', api(`/players/${pilot.player.id}`), { token: pilot.token }),
        await call(server, 'POST', api(`/admin/players/${pilot.player.id}/credits`), {
          token: boss.token,
          body: { amount: 1, reason: 'headers' },
        }),
      ];
      for (const answer of privateAnswers) {
        expect(answer.status, answer.text).toBeLessThan(500);
        expect(answer.headers.get('cache-control'), answer.text).toBe('no-store');
        expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
      }
      for (const path of ['/healthz', '/openapi.json', api('/shop/items'), api('/nowhere')]) {
        const answer = await call(server, 'GET', path);
        expect(answer.headers.get('x-content-type-options'), path).toBe('nosniff');
      }
      expect((await call(server, 'GET', api('/shop/items'))).headers.get('cache-control')).toBe('no-cache');
    });

    it('METRICS_TOKEN set: /metrics needs it as a bearer token; unset: open', async () => {
      const token = randomBytes(16).toString('hex');
      const app = await buildApp(
        { ...server.ctx, config: { ...server.ctx.config, metricsToken: token } },
        { logger: false },
      );
      try {
        for (const authorization of [undefined, 'Bearer wrong', `Bearer ${token}x`, token]) {
          const answer = await app.inject({
            method: 'GET',
            url: '/metrics',
            headers: authorization ? { authorization } : {},
          });
          expect(answer.statusCode, authorization).toBe(401);
          expect(answer.json()).toEqual({ error: { code: 'UNAUTHENTICATED', message: expect.any(String) } });
          expect(answer.body).not.toContain('http_request');
        }
        const scraped = await app.inject({
          method: 'GET',
          url: '/metrics',
          headers: { authorization: `Bearer ${token}` },
        });
        expect(scraped.statusCode).toBe(200);
        expect(scraped.headers['cache-control']).toBe('no-store');
      } finally {
        await app.close();
      }
      expect((await call(server, 'GET', '/metrics')).status).toBe(200);
    });

    it('an x-request-id with CR/LF or odd characters is replaced, never echoed', async () => {
      const answer = await rawHttp(server.url, 'GET', '/healthz', { headers: ['X-Request-Id: a"b<script>'] });
      expect(answer.status).toBe(200);
      expect(answer.headers['x-request-id']).toMatch(/^[\w.-]+$/);
    });
  });

  describe('nicknames are identifiers (UTS #39)', () => {
    const password = 'long enough password';
    const registerAs = (nickname: string) =>
      call(server, 'POST', api('/auth/register'), { body: { nickname, password } });
    const digits = () => String(randomBytes(3).readUIntBE(0, 3)).padStart(8, '0');

    it('invisible names are refused', async () => {
      for (const nickname of ['\uFFA0\uFFA0\uFFA0', '\u3164\u3164\u3164gxeg', `ab\u200Dcd${digits()}`]) {
        expectErrorBody(await registerAs(nickname), 400, 'VALIDATION_ERROR');
      }
    });

    it('a name that looks like a taken one is refused: other script, other case, ß/SS, 1/l, 0/O', async () => {
      const tag = digits();
      expect((await registerAs(`Ripley${tag}`)).status).toBe(201);
      // Latin R, l with Cyrillic і р е у: mixed scripts.
      expectErrorBody(await registerAs(`R\u0456\u0440l\u0435\u0443${tag}`), 400, 'VALIDATION_ERROR');
      expectErrorBody(await registerAs(`RIPLEY${tag}`), 409, 'NICKNAME_TAKEN');
      expectErrorBody(await registerAs(`Rip1ey${tag}`), 409, 'NICKNAME_TAKEN');
      expect((await registerAs(`Stra\u00DFe${tag}`)).status).toBe(201);
      expectErrorBody(await registerAs(`STRASSE${tag}`), 409, 'NICKNAME_TAKEN');
      expect((await registerAs(`pop${tag}`)).status).toBe(201);
      // All Cyrillic (р о р), one script, but it looks like the Latin name.
      expectErrorBody(await registerAs(`\u0440\u043E\u0440${tag}`), 409, 'NICKNAME_TAKEN');
      expectErrorBody(await registerAs(`P0P${tag}`), 409, 'NICKNAME_TAKEN');
    });

    it('players from before the skeleton column get theirs at start-up: their look-alikes are refused', async () => {
      const tag = digits();
      const old = await register(server, `Ferro${tag}`);
      await server.ctx.database.db.execute(
        sql`UPDATE players SET nickname_skeleton = NULL WHERE id = ${old.player.id}`,
      );
      await backfillNicknameSkeletons(server.ctx.database.db, server.ctx.log);
      // Another nickname_key (digit zero), the same skeleton: refused only thanks to the backfill.
      expectErrorBody(await registerAs(`Ferr0${tag}`), 409, 'NICKNAME_TAKEN');
      const login = await call(server, 'POST', api('/auth/login'), {
        body: { nickname: old.nickname, password: old.password },
      });
      expect(login.status).toBe(200);
    });

    it('the start-up backfill: of two old look-alikes in one page the first keeps the skeleton, both log in', async () => {
      const tag = digits();
      const first = await register(server, `Vega${tag}`);
      const second = await register(server, `Wega${tag}`);
      // Make the second an old look-alike of the first (Cyrillic е), from before skeletons existed.
      const lookAlike = `V\u0435ga${tag}`;
      await server.ctx.database.db.execute(
        sql`UPDATE players SET nickname = ${lookAlike}, nickname_key = ${lookAlike.toLowerCase()} WHERE id = ${second.player.id}`,
      );
      await server.ctx.database.db.execute(
        sql`UPDATE players SET nickname_skeleton = NULL WHERE id IN (${first.player.id}, ${second.player.id})`,
      );
      await backfillNicknameSkeletons(server.ctx.database.db, server.ctx.log);
      const rows = rowsOf<{ id: string; skeleton: string | null }>(
        await server.ctx.database.db.execute(
          sql`SELECT id, nickname_skeleton AS skeleton FROM players WHERE id IN (${first.player.id}, ${second.player.id}) ORDER BY id`,
        ),
      );
      expect(rows.filter((row) => row.skeleton !== null)).toHaveLength(1);
      expect(rows[0]?.skeleton).not.toBeNull();
      for (const nickname of [first.nickname, lookAlike]) {
        const login = await call(server, 'POST', api('/auth/login'), {
          body: { nickname, password: first.password },
        });
        expect(login.status, login.text).toBe(200);
      }
    });

    it('names that need combining marks register: Devanagari, decomposed Vietnamese; CJK mixes allowed', async () => {
      const tag = digits();
      const hindi = await registerAs(`\u0928\u092E\u0938\u094D\u0924\u0947${tag}`);
      expect(hindi.status, hindi.text).toBe(201);
      const decomposed = `Nguye\u0302\u0303n${tag}`;
      const vietnamese = await registerAs(decomposed);
      expect(vietnamese.status, vietnamese.text).toBe(201);
      expect(vietnamese.body.player.nickname).toBe(decomposed.normalize('NFC'));
      expectErrorBody(await registerAs(decomposed.normalize('NFC')), 409, 'NICKNAME_TAKEN');
      const login = await call(server, 'POST', api('/auth/login'), {
        body: { nickname: decomposed.normalize('NFC'), password },
      });
      expect(login.status, login.text).toBe(200);
      for (const nickname of [
        `\u5C71\u7530\u30BF\u30ED\u30A6${tag}`,
        `\uAE40\u6C11\uC218${tag}`,
        `\u041F\u0438\u043B\u043E\u0442${tag}`,
      ]) {
        const answer = await registerAs(nickname);
        expect(answer.status, `${nickname}: ${answer.text}`).toBe(201);
      }
      // A combining mark with nothing to combine with is not a name.
      expectErrorBody(await registerAs(`\u0301abc${tag}`), 400, 'VALIDATION_ERROR');
    });
  });

  describe('Idempotency-Key and an optional body', () => {
    it('a buy with no body and a buy with {} under one key are the same request: the second replays', async () => {
      const buyer = await register(server);
      await fund(server, buyer.player.id, 1_000_000);
      const key = `same-${randomBytes(4).toString('hex')}`;
      const bare = await call(server, 'POST', api('/shop/items/5/buy'), {
        token: buyer.token,
        headers: { 'idempotency-key': key },
      });
      expect(bare.status, bare.text).toBe(200);
      const empty = await call(server, 'POST', api('/shop/items/5/buy'), {
        token: buyer.token,
        headers: { 'idempotency-key': key },
        body: {},
      });
      expect(empty.status, empty.text).toBe(200);
      expect(empty.headers.get('idempotent-replayed')).toBe('true');
      expect(empty.text).toBe(bare.text);
      const other = await call(server, 'POST', api('/shop/items/5/buy'), {
        token: buyer.token,
        headers: { 'idempotency-key': key },
        body: { expectedPrice: 1 },
      });
      expectErrorBody(other, 409, 'IDEMPOTENCY_KEY_REUSED');
    });
  });
});

describe.each(
  backends.flatMap((backend) =>
    (redisConfigured ? ['memory', 'redis'] : ['memory']).map((store) => ({ backend, store })),
  ),
)('the failed-login lock on $backend with the $store store', ({ backend, store }) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer(
      backend,
      { TRUST_PROXY: 'true', ...(store === 'redis' ? { REDIS_URL: TEST_REDIS_URL } : {}) },
      { redisKeyPrefix: `lock-${randomBytes(4).toString('hex')}:` },
    );
  });
  afterAll(async () => {
    await server?.close();
  });

  const login = (player: TestPlayer, password: string, address: string) =>
    call(server, 'POST', api('/auth/login'), {
      body: { nickname: player.nickname, password },
      headers: { 'x-forwarded-for': address },
    });

  it('five failures come before the lock: the 5th is a 401, the 6th a 429', async () => {
    const victim = await register(server);
    for (let i = 1; i <= 5; i++) {
      expectErrorBody(await login(victim, 'wrong password', '203.0.113.5'), 401, 'INVALID_CREDENTIALS');
    }
    const sixth = await login(victim, 'wrong password', '203.0.113.5');
    expectErrorBody(sixth, 429, 'RATE_LIMITED');
    expect(Number(sixth.headers.get('retry-after'))).toBeGreaterThan(0);
    // Locked from that address, even with the right password.
    expectErrorBody(await login(victim, victim.password, '203.0.113.5'), 429, 'RATE_LIMITED');
  });

  it("someone else's failures do not lock the pilot out: the right password from another address gets in", async () => {
    const victim = await register(server);
    for (let i = 0; i < 8; i++) await login(victim, 'wrong password', '198.51.100.7');
    expectErrorBody(await login(victim, 'wrong password', '198.51.100.7'), 429, 'RATE_LIMITED');
    const own = await login(victim, victim.password, '192.0.2.44');
    expect(own.status, own.text).toBe(200);
  });

  it('failures spread over many addresses meet the slower per-nickname limit', async () => {
    const victim = await register(server);
    // LOGIN_MAX_FAILURES (5) x 10 failures per lock window from all addresses together.
    let lockedAt = 0;
    for (let i = 1; i <= 60; i++) {
      const answer = await login(victim, 'wrong password', `10.0.${Math.floor(i / 4)}.${i % 4}`);
      if (answer.status === 429) {
        lockedAt = i;
        break;
      }
      expect(answer.status, answer.text).toBe(401);
    }
    expect(lockedAt).toBe(51);
  });
});

describe.each(backends)('a request that arrives while the server closes (%s)', (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer(backend);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('gets 503 SERVICE_UNAVAILABLE in our shape with Connection: close; the one in flight finishes', async () => {
    const { port } = new URL(server.url);
    const socket = net.connect(Number(port), '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    const ended = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    await new Promise<void>((resolve) => socket.on('connect', () => resolve()));

    // A registration whose headers have arrived but whose body has not: in flight when closing begins.
    const body = JSON.stringify({ nickname: uniqueNickname(), password: 'correct horse battery' });
    const dispatched = new Promise<void>((resolve) => server.app.server.once('request', () => resolve()));
    socket.write(
      'POST /api/v1/auth/register HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, 5)}`,
    );
    await dispatched;
    const closed = server.app.close();
    // Then the rest of its body, and a second request on the same (still busy) connection.
    socket.write(`${body.slice(5)}GET /api/v1/shop/items HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
    await ended;
    await closed;

    const answers = splitResponses(Buffer.concat(chunks));
    expect(answers.map((a) => a.status)).toEqual([201, 503]);
    const refused = answers[1] as RawAnswer;
    expectErrorBody(refused, 503, 'SERVICE_UNAVAILABLE');
    expect(refused.headers.connection).toBe('close');
    expect(refused.headers['retry-after']).toBe('1');
  });
});

/** The responses of one connection, in order (each with a Content-Length). */
function splitResponses(bytes: Buffer): RawAnswer[] {
  const answers: RawAnswer[] = [];
  let rest = bytes;
  for (let head = rest.indexOf('\r\n\r\n'); head >= 0; head = rest.indexOf('\r\n\r\n')) {
    const length = Number(
      /\r\ncontent-length: *(\d+)/i.exec(rest.subarray(0, head).toString('latin1'))?.[1] ?? 0,
    );
    answers.push(parseResponse(rest.subarray(0, head + 4 + length)));
    rest = rest.subarray(head + 4 + length);
  }
  return answers;
}
