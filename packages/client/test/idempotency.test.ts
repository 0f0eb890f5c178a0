/** Money moves carry one Idempotency-Key per action, the same on every retry, so nothing is bought twice. */
import { describe, expect, it } from 'vitest';
import { ApiClient, newIdempotencyKey } from '../src/index';
import { apiError, buyResponse, connectionReset, json, rejection, testClient } from './fake-server';

const keysOf = (requests: { headers: Record<string, string> }[]) =>
  requests.map((r) => r.headers['idempotency-key']);

describe('idempotency keys', () => {
  it('reuses one key across every retry of a buy, even after the request may have landed', async () => {
    const { client, requests } = testClient([
      connectionReset(),
      apiError(503, 'SERVICE_UNAVAILABLE'),
      apiError(429, 'RATE_LIMITED', 'slow', {}, { 'retry-after': '1' }),
      json(200, buyResponse, { 'idempotent-replayed': 'true' }),
    ]);
    await expect(client.buy(7)).resolves.toEqual(buyResponse);
    expect(requests).toHaveLength(4);
    expect(keysOf(requests)).toEqual(['key-1', 'key-1', 'key-1', 'key-1']);
  });

  it('draws a new key for a second buy', async () => {
    const { client, requests } = testClient([json(200, buyResponse), apiError(409, 'ALREADY_OWNED')]);
    await client.buy(7);
    await rejection(client.buy(7));
    expect(keysOf(requests)).toEqual(['key-1', 'key-2']);
  });

  it('sends a key given by the caller, for sell and admin grants too', async () => {
    const { client, requests } = testClient([
      json(200, buyResponse),
      json(200, {
        balance: 1,
        amount: 5099,
        item: { id: 7, name: 'x', price: 5099, power: 1 },
        transactionId: '9',
      }),
      json(200, { balance: 100, transactionId: '10' }),
      json(200, { balance: 200, transactionId: '11' }),
    ]);
    await client.buy(7, { idempotencyKey: 'mine-1' });
    await client.sell(7);
    await client.admin.grantCredits('6f1c2d1e-8d0b-4f3a-9d55-0e2b9a3c7f10', { amount: 100, reason: 'gift' });
    await client.admin.grantCredits(
      '6f1c2d1e-8d0b-4f3a-9d55-0e2b9a3c7f10',
      { amount: 100, reason: 'gift' },
      { idempotencyKey: 'g' },
    );
    expect(keysOf(requests)).toEqual(['mine-1', 'key-1', 'key-2', 'g']);
  });

  it('sends no key on reads and non-money writes', async () => {
    const { client, requests } = testClient([
      json(200, { balance: 1 }),
      json(200, { item: { id: 1, name: 'a', price: 1, power: 1 } }),
    ]);
    await client.balance();
    await client.admin.updateItem(1, { price: 1 });
    expect(keysOf(requests)).toEqual([undefined, undefined]);
  });

  it('the default key is a UUID, fresh per buy', async () => {
    const keys: string[] = [];
    const client = new ApiClient({
      baseUrl: 'http://game.test',
      fetch: (_input, init) => {
        keys.push(new Headers(init?.headers).get('idempotency-key') ?? '');
        return Promise.resolve(json(200, buyResponse));
      },
    });
    await client.buy(1);
    await client.buy(2);
    expect(keys[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(keys[1]).not.toBe(keys[0]);
  });

  it('builds a v4 UUID from getRandomValues where randomUUID is hidden (plain-http browser page)', () => {
    const original = globalThis.crypto;
    const limited = {
      getRandomValues: <T extends ArrayBufferView>(array: T) => original.getRandomValues(array),
    };
    Object.defineProperty(globalThis, 'crypto', { value: limited, configurable: true });
    try {
      const key = newIdempotencyKey();
      expect(key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(newIdempotencyKey()).not.toBe(key);
    } finally {
      Object.defineProperty(globalThis, 'crypto', { value: original, configurable: true });
    }
  });
});
