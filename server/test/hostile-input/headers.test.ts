/**
 * Hostile input, response headers and shutdown: nosniff everywhere, no-store on private answers, the
 * metrics token, request ids never echoed unsafely; a request that arrives while the server closes is
 * refused in our shape. See hostile.ts for what every refusal must be.
 */
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app';
import { api, call, type TestPlayer, uniqueNickname } from '../helpers/http';
import { parseResponse, type RawAnswer, rawHttp } from '../helpers/raw-http';
import { backends, startServer, type TestServer } from '../helpers/server';
import { expectError, type HostileServer, openHostileServer } from './hostile';

describe.each(backends)('hostile input: headers on %s', (backend) => {
  let hostile: HostileServer;
  let server: TestServer;
  let pilot: TestPlayer;
  let boss: TestPlayer;

  beforeAll(async () => {
    hostile = await openHostileServer(backend);
    ({ server, pilot, boss } = hostile);
  });
  afterAll(async () => {
    await hostile?.server.close();
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
      expect(privateAnswers.map((answer) => answer.status)).toEqual([
        200, 201, 200, 200, 200, 200, 401, 200, 200,
      ]);
      for (const answer of privateAnswers) {
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
    expectError(refused, 503, 'SERVICE_UNAVAILABLE');
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
