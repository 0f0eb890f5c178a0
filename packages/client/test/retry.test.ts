/** The retry policy: what is retried, how often, and how long the client waits in between. */
import { describe, expect, it } from 'vitest';
import {
  ApiError,
  backoffDelay,
  DEFAULT_RETRY_POLICY,
  NetworkError,
  normalizePolicy,
  parseRetryAfter,
} from '../src/index';
import {
  apiError,
  connectionRefused,
  connectionReset,
  empty,
  json,
  privatePlayer,
  rejection,
  session,
  testClient,
} from './fake-server';

const unavailable = () => apiError(503, 'SERVICE_UNAVAILABLE');

describe('backoff', () => {
  it('doubles the window per retry and caps it at maxDelayMs', () => {
    const policy = { retries: 10, baseDelayMs: 100, maxDelayMs: 1000 };
    const almostOne = () => 0.999999;
    const delays = [1, 2, 3, 4, 5, 6].map((retry) => backoffDelay(retry, policy, almostOne));
    expect(delays).toEqual([99, 199, 399, 799, 999, 999]);
  });

  it('draws the whole delay at random (full jitter), within [0, window)', () => {
    const policy = normalizePolicy();
    expect(backoffDelay(3, policy, () => 0)).toBe(0);
    let seed = 1;
    const lcg = () => {
      seed = (seed * 48271) % 2147483647;
      return seed / 2147483647;
    };
    const draws = Array.from({ length: 500 }, () => backoffDelay(3, policy, lcg));
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThan(1000);
    expect(new Set(draws).size).toBeGreaterThan(100);
  });

  it('stays within bounds even with a broken random source', () => {
    const policy = normalizePolicy();
    expect(backoffDelay(1, policy, () => 7)).toBeLessThanOrEqual(250);
    expect(backoffDelay(1, policy, () => -1)).toBe(0);
  });

  it('defaults to 5 attempts with 250 ms base and 8 s cap', () => {
    expect(normalizePolicy()).toEqual({ retries: 4, baseDelayMs: 250, maxDelayMs: 8000 });
    expect(DEFAULT_RETRY_POLICY.retries).toBe(4);
    expect(normalizePolicy({ retries: 0 }).retries).toBe(0);
  });
});

describe('Retry-After', () => {
  it('reads delay-seconds and HTTP dates', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
    const now = Date.parse('2026-11-29T12:00:00Z');
    expect(parseRetryAfter('Sun, 29 Nov 2026 12:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Sun, 29 Nov 2026 11:00:00 GMT', now)).toBe(0);
  });
});

describe('retries through the client', () => {
  it('retries a GET on 503 and returns the eventual answer, with growing waits', async () => {
    const { client, requests, sleeps, retries } = testClient([
      unavailable(),
      unavailable(),
      unavailable(),
      json(200, privatePlayer),
    ]);
    await expect(client.me()).resolves.toEqual(privatePlayer);
    expect(requests).toHaveLength(4);
    expect(sleeps).toEqual([125, 250, 500]); // random 0.5 of 250, 500, 1000
    expect(retries.map((r) => [r.attempt, r.maxAttempts, r.delayMs])).toEqual([
      [2, 5, 125],
      [3, 5, 250],
      [4, 5, 500],
    ]);
    expect(retries[0]!.reason).toBeInstanceOf(ApiError);
    expect((retries[0]!.reason as ApiError).status).toBe(503);
  });

  it('gives up after retries + 1 attempts and throws the last error', async () => {
    const { client, requests, sleeps } = testClient(Array.from({ length: 5 }, unavailable), {
      random: () => 0.999999,
    });
    const error = await rejection(client.balance());
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('SERVICE_UNAVAILABLE');
    expect(requests).toHaveLength(5);
    expect(sleeps).toEqual([249, 499, 999, 1999]);
  });

  it('caps waits at maxDelayMs', async () => {
    const { client, sleeps } = testClient(Array.from({ length: 6 }, unavailable), {
      retry: { retries: 5, baseDelayMs: 1000, maxDelayMs: 3000 },
      random: () => 0.999999,
    });
    await rejection(client.balance());
    expect(sleeps).toEqual([999, 1999, 2999, 2999, 2999]);
  });

  it('honours Retry-After on 429 instead of its own backoff', async () => {
    const { client, sleeps, retries } = testClient([
      apiError(429, 'RATE_LIMITED', 'slow down', {}, { 'retry-after': '2' }),
      json(200, { balance: 5 }),
    ]);
    await expect(client.balance()).resolves.toEqual({ balance: 5 });
    expect(sleeps).toEqual([2000]);
    expect(retries[0]!.delayMs).toBe(2000);
  });

  it('does not sleep through a Retry-After longer than maxDelayMs; the error carries it', async () => {
    const { client, requests, sleeps } = testClient([
      apiError(429, 'RATE_LIMITED', 'locked', {}, { 'retry-after': '600' }),
    ]);
    const error = await rejection(client.login('vega', 'password123'));
    expect(error).toMatchObject({ status: 429, code: 'RATE_LIMITED', retryAfterMs: 600_000 });
    expect(requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('retries 502 and 504 from a proxy on idempotent requests', async () => {
    const { client, requests } = testClient([
      empty(502),
      new Response('<html>gateway</html>', { status: 504 }),
      json(200, { balance: 1 }),
    ]);
    await expect(client.balance()).resolves.toEqual({ balance: 1 });
    expect(requests).toHaveLength(3);
  });

  it.each([
    [400, 'VALIDATION_ERROR'],
    [401, 'UNAUTHENTICATED'],
    [404, 'ITEM_NOT_FOUND'],
    [409, 'INSUFFICIENT_FUNDS'],
    [500, 'INTERNAL_ERROR'],
  ])('never retries %i %s', async (status, code) => {
    const { client, requests, sleeps } = testClient([apiError(status, code)]);
    const error = await rejection(client.buy(7));
    expect(error).toMatchObject({ status, code });
    expect(requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('retries network errors on reads, whether or not the request was sent', async () => {
    const { client, requests, retries } = testClient([
      connectionReset(),
      connectionRefused(),
      json(200, { balance: 3 }),
    ]);
    await expect(client.balance()).resolves.toEqual({ balance: 3 });
    expect(requests).toHaveLength(3);
    expect(retries.map((r) => r.reason)).toEqual([expect.any(NetworkError), expect.any(NetworkError)]);
  });

  it('respects retries: 0', async () => {
    const { client, requests } = testClient([unavailable()], { retry: { retries: 0 } });
    await rejection(client.me());
    expect(requests).toHaveLength(1);
  });

  it('a throwing onRetry hook does not abort the retry', async () => {
    const { client, requests } = testClient([unavailable(), json(200, { balance: 1 })], {
      onRetry: () => {
        throw new Error('logger broke');
      },
    });
    await expect(client.balance()).resolves.toEqual({ balance: 1 });
    expect(requests).toHaveLength(2);
  });
});

describe('login and register are retried only when the server certainly did nothing', () => {
  it('retries a refused connection', async () => {
    const { client, requests } = testClient([connectionRefused(), json(200, session)]);
    await expect(client.login('vega', 'password123')).resolves.toEqual(session);
    expect(requests).toHaveLength(2);
  });

  it('retries 503 and 429', async () => {
    const { client, requests } = testClient([
      unavailable(),
      apiError(429, 'RATE_LIMITED'),
      json(201, session),
    ]);
    await expect(client.register('vega', 'password123')).resolves.toEqual(session);
    expect(requests).toHaveLength(3);
  });

  it('does not retry a connection dropped after sending: a second login would grant a second bonus', async () => {
    const { client, requests } = testClient([connectionReset(), json(200, session)]);
    const error = await rejection(client.login('vega', 'password123'));
    expect(error).toBeInstanceOf(NetworkError);
    expect(error).toMatchObject({ kind: 'network', notDelivered: false });
    expect(requests).toHaveLength(1);
  });

  it('does not retry a timeout or a 504', async () => {
    const hang = (_: unknown, signal: AbortSignal | undefined) =>
      new Promise<Response>((_resolve, reject) =>
        signal?.addEventListener('abort', () => reject(new Error('aborted'))),
      );
    const timedOut = testClient([hang, json(200, session)], { timeoutMs: 20 });
    await expect(rejection(timedOut.client.login('vega', 'password123'))).resolves.toMatchObject({
      kind: 'timeout',
    });
    expect(timedOut.requests).toHaveLength(1);

    const gateway = testClient([empty(504), json(200, session)]);
    await expect(rejection(gateway.client.register('vega', 'password123'))).resolves.toMatchObject({
      status: 504,
    });
    expect(gateway.requests).toHaveLength(1);
  });

  it('creating an item (not idempotent either) follows the same rule', async () => {
    const { client, requests } = testClient([connectionReset()]);
    await rejection(client.admin.createItem({ name: 'Ion Cannon', price: 5099, power: 12 }));
    expect(requests).toHaveLength(1);
  });
});
