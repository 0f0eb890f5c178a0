/** Every failure reaches the caller as an ApiError or a NetworkError, never as a raw fetch or JSON error. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ApiClient, ApiError, isApiError, isNetworkError, NetworkError } from '../src/index';
import { apiError, json, rejection, testClient } from './fake-server';

describe('ApiError', () => {
  it('carries status, code, message and details from the error body', async () => {
    const { client } = testClient([
      apiError(409, 'INSUFFICIENT_FUNDS', 'Not enough credits: need 5099, have 1200', {
        details: { balance: 1200, required: 5099 },
      }),
    ]);
    const error = await rejection(client.buy(7));
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({
      name: 'ApiError',
      status: 409,
      code: 'INSUFFICIENT_FUNDS',
      message: 'Not enough credits: need 5099, have 1200',
      details: { balance: 1200, required: 5099 },
    });
    expect(isApiError(error)).toBe(true);
    expect(isApiError(error, 'INSUFFICIENT_FUNDS')).toBe(true);
    expect(isApiError(error, 'PRICE_CHANGED')).toBe(false);
    expect(isApiError(new Error('x'))).toBe(false);
  });

  it('keeps codes this client does not know', async () => {
    const { client } = testClient([apiError(409, 'SOMETHING_NEW')]);
    await expect(rejection(client.me())).resolves.toMatchObject({ code: 'SOMETHING_NEW', status: 409 });
  });

  it('turns a non-JSON error page into an ApiError coded by status, not a SyntaxError', async () => {
    const page = () =>
      new Response('<html><body>Bad Gateway</body></html>', {
        status: 500,
        headers: { 'content-type': 'text/html' },
      });
    const { client } = testClient([page(), new Response('nope', { status: 403 })]);
    await expect(rejection(client.me())).resolves.toMatchObject({ status: 500, code: 'INTERNAL_ERROR' });
    await expect(rejection(client.me())).resolves.toMatchObject({ status: 403, code: 'FORBIDDEN' });
  });

  it('turns a malformed success body into an ApiError', async () => {
    const { client } = testClient([new Response('{"balance": 1', { status: 200 })]);
    const error = await rejection(client.balance());
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 200, code: 'INTERNAL_ERROR' });
  });

  it('treats an error body of the wrong shape like a non-JSON one', async () => {
    const { client } = testClient([json(404, { message: 'not here' })]);
    await expect(rejection(client.player('x'))).resolves.toMatchObject({ status: 404, code: 'NOT_FOUND' });
  });
});

describe('NetworkError', () => {
  it('reports a refused connection as network, not delivered', async () => {
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));

    const sleeps: number[] = [];
    const client = new ApiClient({
      baseUrl: `http://127.0.0.1:${port}`,
      retry: { retries: 2 },
      sleep: (ms) => {
        sleeps.push(ms);
        return Promise.resolve();
      },
    });
    const error = await rejection(client.login('vega', 'password123'));
    expect(error).toBeInstanceOf(NetworkError);
    expect(isNetworkError(error)).toBe(true);
    expect(error).toMatchObject({ kind: 'network', notDelivered: true });
    expect((error as Error).message).toContain('ECONNREFUSED');
    expect(sleeps).toHaveLength(2); // refused is safe to retry even for login
  });

  it('reports a timeout per attempt and aborts the request', async () => {
    let aborted = 0;
    const hang = (_: unknown, signal: AbortSignal | undefined) =>
      new Promise<Response>((_resolve, reject) =>
        signal?.addEventListener('abort', () => {
          aborted++;
          reject(new DOMException('aborted', 'AbortError'));
        }),
      );
    const { client, requests, retries } = testClient([hang, hang, json(200, { balance: 9 })], {
      timeoutMs: 30,
    });
    const started = Date.now();
    await expect(client.balance()).resolves.toEqual({ balance: 9 });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(aborted).toBe(2);
    expect(requests).toHaveLength(3);
    expect(retries.map((r) => (r.reason as NetworkError).kind)).toEqual(['timeout', 'timeout']);
  });

  it('times out a server that stalls in the middle of the body', async () => {
    const stalled = (_: unknown, signal: AbortSignal | undefined) => {
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('{"bal'));
          signal?.addEventListener('abort', () =>
            controller.error(new DOMException('aborted', 'AbortError')),
          );
        },
      });
      return Promise.resolve(new Response(body, { status: 200 }));
    };
    const { client } = testClient([stalled], { timeoutMs: 30, retry: { retries: 0 } });
    await expect(rejection(client.balance())).resolves.toMatchObject({
      name: 'NetworkError',
      kind: 'timeout',
    });
  });

  it("takes a browser's bare 'Failed to fetch' as no proof of non-delivery: login is not retried", async () => {
    const { client, requests } = testClient([new TypeError('Failed to fetch')]);
    const error = await rejection(client.login('vega', 'password123'));
    expect(error).toMatchObject({ kind: 'network', notDelivered: false });
    expect(requests).toHaveLength(1);
  });
});
