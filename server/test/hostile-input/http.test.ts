/**
 * Hostile input, HTTP itself: malformed and oversized bodies, foreign content types, unknown routes and
 * methods, broken percent-encoding, overlong paths and URLs, too many headers, a missing Host, a broken
 * request line, requests that never finish arriving — each answered by us in our shape, also where node's
 * parser or Fastify's router refuses first. See hostile.ts for what every refusal must be.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, call, type TestPlayer, uniqueNickname } from '../helpers/http';
import { rawHttp, rawRequest } from '../helpers/raw-http';
import { backends, type TestServer } from '../helpers/server';
import {
  type Actor,
  expectBooksUntouched,
  expectError,
  expectInvalid,
  HELMET,
  type HostileServer,
  JSON_TYPE,
  openHostileServer,
} from './hostile';

/** A request body of exactly `bytes` bytes that is valid JSON credentials with a long password. */
function credentialsOfSize(bytes: number): string {
  const frame = JSON.stringify({ nickname: 'sizer', password: '' });
  return JSON.stringify({ nickname: 'sizer', password: 'p'.repeat(bytes - frame.length) });
}

describe.each(backends)('hostile input: HTTP on %s', (backend) => {
  let hostile: HostileServer;
  let server: TestServer;
  let pilot: TestPlayer;
  const tokenOf = (actor: Actor) => hostile.tokenOf(actor);
  const fill = (path: string) => hostile.fill(path);

  beforeAll(async () => {
    hostile = await openHostileServer(backend, { REQUEST_TIMEOUT_MS: '1500' });
    ({ server, pilot } = hostile);
  });
  afterAll(async () => {
    await hostile?.server.close();
  });

  describe('raw bodies and content types', () => {
    const BODY_ROUTES: { method: string; path: string; as: Actor }[] = [
      { method: 'POST', path: '/auth/register', as: 'none' },
      { method: 'POST', path: '/auth/login', as: 'none' },
      { method: 'POST', path: '/shop/items/1/buy', as: 'pilot' },
      { method: 'POST', path: '/admin/items', as: 'boss' },
      { method: 'PATCH', path: `/admin/items/${HELMET}`, as: 'boss' },
      { method: 'POST', path: '/admin/players/{pilot}/credits', as: 'boss' },
    ];

    it.each(BODY_ROUTES)('$method $path: malformed JSON is a 400 VALIDATION_ERROR on body', async (route) => {
      const malformed = [
        '{"broken',
        '{"amount": 1,}',
        "{'single': 'quotes'}",
        '{"a":1}{"b":2}',
        'nul',
        '',
        '{"__proto__": {"role": "admin"}}',
        '{"constructor": {"prototype": {"role": "admin"}}}',
      ];
      for (const rawBody of malformed) {
        const answer = await call(server, route.method, api(fill(route.path)), {
          token: tokenOf(route.as),
          rawBody,
          headers: JSON_TYPE,
        });
        expectInvalid(answer, 'body');
      }
    });

    it.each(BODY_ROUTES)('$method $path: a 10 MB body is a 413 PAYLOAD_TOO_LARGE', async (route) => {
      const answer = await call(server, route.method, api(fill(route.path)), {
        token: tokenOf(route.as),
        body: { name: 'x'.repeat(10 * 1024 * 1024) },
      });
      expectError(answer, 413, 'PAYLOAD_TOO_LARGE');
    });

    it('the body limit is 16 KiB', async () => {
      const atLimit = await call(server, 'POST', api('/auth/register'), {
        rawBody: credentialsOfSize(16 * 1024),
        headers: JSON_TYPE,
      });
      expectInvalid(atLimit, 'body/password'); // read and validated, not refused for its size
      const over = await call(server, 'POST', api('/auth/register'), {
        rawBody: credentialsOfSize(16 * 1024 + 1),
        headers: JSON_TYPE,
      });
      expectError(over, 413, 'PAYLOAD_TOO_LARGE');
    });

    it('a body of any type but JSON is a 415 UNSUPPORTED_MEDIA_TYPE, and registers nobody', async () => {
      const nickname = uniqueNickname('typed');
      const json = JSON.stringify({ nickname, password: 'long enough password' });
      for (const contentType of [
        'text/plain',
        'text/plain; charset=utf-8',
        'text/html',
        'application/x-www-form-urlencoded',
        'application/xml',
        'application/octet-stream',
        'multipart/form-data; boundary=xyz',
        'application/jsonx',
      ]) {
        const answer = await call(server, 'POST', api('/auth/register'), {
          rawBody: json,
          headers: { 'content-type': contentType },
        });
        expectError(answer, 415, 'UNSUPPORTED_MEDIA_TYPE');
      }
      expectError(
        await call(server, 'POST', api('/auth/login'), {
          body: { nickname, password: 'long enough password' },
        }),
        404,
        'PLAYER_NOT_FOUND',
      );
      const withCharset = await call(server, 'POST', api('/auth/register'), {
        rawBody: json,
        headers: { 'content-type': 'application/json; charset=utf-8' },
      });
      expect(withCharset.status).toBe(201);
    });

    it('a plain GET of the WebSocket endpoint is a 404 with our body (it answers only an Upgrade)', async () => {
      expectError(await call(server, 'GET', api('/ws')), 404, 'NOT_FOUND');
    });

    it("a WebSocket upgrade with a bad key or version is a 400 with our body, not the ws package's HTML", async () => {
      const upgrade = (key: string, version: string) =>
        rawRequest(
          server.url,
          `GET ${api('/ws')} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
            `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: ${version}\r\n\r\n`,
          { keepOpen: true },
        );
      const badKey = await upgrade('not-a-key', '13');
      expectError(badKey, 400, 'VALIDATION_ERROR');
      expect((badKey.body as { error: { message: string } }).error.message).toBe(
        'Missing or invalid Sec-WebSocket-Key header',
      );
      const badVersion = await upgrade('dGhlIHNhbXBsZSBub25jZQ==', '99');
      expectError(badVersion, 400, 'VALIDATION_ERROR');
      expect(badVersion.headers['sec-websocket-version']).toBe('13, 8');
    });

    it('unknown routes and methods get the error body', async () => {
      expectError(await call(server, 'GET', api('/nowhere')), 404, 'NOT_FOUND');
      expectError(await call(server, 'PUT', api(`/shop/items/${HELMET}`), { body: {} }), 404, 'NOT_FOUND');
      expectError(await call(server, 'POST', api('/me'), { token: pilot.token }), 404, 'NOT_FOUND');
    });
  });

  describe("errors in Fastify's and node's shape", () => {
    it('a path segment that is not valid percent-encoding', async () => {
      expectError(await call(server, 'GET', api('/shop/items/%FF')), 400, 'VALIDATION_ERROR');
      expectError(await call(server, 'GET', api('/shop/items/%E0%A4%A')), 400, 'VALIDATION_ERROR');
    });

    it('a path parameter over 100 characters is a 414 URI_TOO_LONG', async () => {
      for (const answer of [
        await call(server, 'GET', api(`/shop/items/${'1'.repeat(101)}`)),
        await call(server, 'GET', api(`/players/${'a'.repeat(200)}`), { token: pilot.token }),
        await call(server, 'POST', api(`/shop/items/${'1'.repeat(101)}/buy`), { token: pilot.token }),
      ]) {
        // Also where the web client's catch-all route takes the path the router gave up on.
        expectError(answer, 414, 'URI_TOO_LONG');
      }
    });

    it('a 100 KB URL is a 431 HEADERS_TOO_LARGE with our body', async () => {
      const answer = await rawHttp(server.url, 'GET', api(`/shop/items?search=${'a'.repeat(100_000)}`));
      expectError(answer, 431, 'HEADERS_TOO_LARGE');
    });

    it('1,500 headers are refused with our body', async () => {
      const headers = Array.from({ length: 1500 }, (_, i) => `X-H${i}: ${'v'.repeat(10)}`);
      const answer = await rawHttp(server.url, 'GET', api('/shop/items'), { headers });
      // 1,500 x 20 bytes is over the 16 KiB head limit.
      expectError(answer, 431, 'HEADERS_TOO_LARGE');
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
      expectError(answer, 400, 'VALIDATION_ERROR');
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
      expectError(await rawHttp(server.url, 'FOO', api('/shop/items')), 400, 'VALIDATION_ERROR');
      expectError(await rawHttp(server.url, 'GET', 'no-slash'), 400, 'VALIDATION_ERROR');
      expectError(await rawRequest(server.url, 'GARBAGE\r\n\r\n'), 400, 'VALIDATION_ERROR');
      // A method node knows but no route takes: 404 with our body.
      expectError(await rawHttp(server.url, 'PROPFIND', api('/shop/items')), 404, 'NOT_FOUND');
    });

    it('a query string that is not URL-encoded is refused as malformed', async () => {
      const answer = await rawHttp(server.url, 'GET', Buffer.from(api('/shop/items?search=щит'), 'utf8'));
      expectError(answer, 400, 'VALIDATION_ERROR');
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
      expectError(answer, 408, 'REQUEST_TIMEOUT');
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

  it('after all of it, the pilot\u2019s books are untouched and balanced', async () => {
    await expectBooksUntouched(hostile);
  });
});
