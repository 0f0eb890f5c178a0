// One RateLimitStore suite, run over MemoryRateLimitStore and RedisRateLimitStore (shared test Redis,
// random prefix).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryRateLimitStore, type RateLimitStore } from '../../src/infra/rate-limit-store.js';
import { closeRedisClient, type Redis } from '../../src/infra/redis.js';
import { RedisRateLimitStore } from '../../src/infra/redis-rate-limit-store.js';
import {
  deleteKeys,
  sharedClient,
  sleep,
  TEST_REDIS_URL,
  uniquePrefix,
  waitFor,
  redisConfigured,
} from './redis-helpers.js';

/**
 * Lets `ms` pass for a twin's windows: the memory twin's clock is moved on; the Redis twin's windows end
 * by the Redis server's own clock, which only waiting moves.
 */
type Elapse = (ms: number) => Promise<void>;

function describeRateLimitStore(name: string, open: () => Promise<RateLimitStore>, elapse: Elapse): void {
  // The Redis twin needs a Redis server: it runs when TEST_REDIS_URL is set.
  (name === 'redis' ? describe.skipIf(!redisConfigured) : describe)(`RateLimitStore: ${name}`, () => {
    let store: RateLimitStore;
    beforeAll(async () => {
      store = await open();
    });
    afterAll(async () => {
      await store.close();
    });

    it('counts hits in a window that ends windowMs after the first hit', async () => {
      const before = Date.now();
      const first = await store.hit('login:alice', 60_000);
      const second = await store.hit('login:alice', 60_000);
      const third = await store.hit('login:alice', 60_000);
      expect([first.count, second.count, third.count]).toEqual([1, 2, 3]);
      expect(first.resetAt).toBeGreaterThanOrEqual(before + 59_000);
      expect(first.resetAt).toBeLessThanOrEqual(Date.now() + 60_000);
      // The window does not slide with later hits.
      expect(Math.abs(third.resetAt - first.resetAt)).toBeLessThan(1_000);
    });

    it('counts each key on its own', async () => {
      await store.hit('ip:1', 60_000);
      await store.hit('ip:1', 60_000);
      expect((await store.hit('ip:2', 60_000)).count).toBe(1);
    });

    it('starts a new window once the old one has ended', async () => {
      await store.hit('burst', 200);
      expect((await store.hit('burst', 200)).count).toBe(2);
      await elapse(300);
      expect(await store.peek('burst')).toBeNull();
      const fresh = await store.hit('burst', 200);
      expect(fresh.count).toBe(1);
      expect(fresh.resetAt).toBeGreaterThan(Date.now());
    });

    it('peeks without counting', async () => {
      expect(await store.peek('peeked')).toBeNull();
      const hit = await store.hit('peeked', 60_000);
      const peeked = await store.peek('peeked');
      expect(peeked?.count).toBe(1);
      expect(Math.abs((peeked?.resetAt ?? 0) - hit.resetAt)).toBeLessThan(1_000);
      expect((await store.peek('peeked'))?.count).toBe(1);
      expect((await store.hit('peeked', 60_000)).count).toBe(2);
    });

    it('resets a key', async () => {
      await store.hit('lockout:bob', 60_000);
      await store.hit('lockout:bob', 60_000);
      await store.reset('lockout:bob');
      expect(await store.peek('lockout:bob')).toBeNull();
      expect((await store.hit('lockout:bob', 60_000)).count).toBe(1);
      await store.reset('never-hit');
    });

    it('counts concurrent hits exactly', async () => {
      const results = await Promise.all(Array.from({ length: 50 }, () => store.hit('race', 60_000)));
      expect(results.map((r) => r.count).sort((a, b) => a - b)).toEqual(
        Array.from({ length: 50 }, (_, i) => i + 1),
      );
    });
  });
}

/** The memory twin's clock: the wall clock plus the time the tests let pass. */
const memoryClock = { offset: 0, now: () => Date.now() + memoryClock.offset };
describeRateLimitStore(
  'memory',
  () => Promise.resolve(new MemoryRateLimitStore(memoryClock.now)),
  async (ms) => {
    memoryClock.offset += ms;
  },
);

const prefix = uniquePrefix();
const clients: Redis[] = [];

describeRateLimitStore(
  'redis',
  async () => {
    const client = sharedClient();
    clients.push(client);
    await waitFor(() => client.status === 'ready', 5_000);
    return new RedisRateLimitStore(client, { keyPrefix: prefix });
  },
  sleep,
);

describe.skipIf(!redisConfigured)('RedisRateLimitStore across nodes', () => {
  it('two nodes count in the same window', async () => {
    const [a, b] = [sharedClient(), sharedClient()];
    clients.push(a, b);
    await waitFor(() => a.status === 'ready' && b.status === 'ready', 5_000);
    const nodeA = new RedisRateLimitStore(a, { keyPrefix: prefix });
    const nodeB = new RedisRateLimitStore(b, { keyPrefix: prefix });
    expect((await nodeA.hit('shared', 60_000)).count).toBe(1);
    expect((await nodeB.hit('shared', 60_000)).count).toBe(2);
    expect((await nodeA.peek('shared'))?.count).toBe(2);
  });
});

afterAll(async () => {
  await Promise.all(clients.map(closeRedisClient));
  if (redisConfigured) await deleteKeys(TEST_REDIS_URL, prefix);
});
