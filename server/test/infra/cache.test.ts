// One Cache suite, run over MemoryCache and RedisCache (the shared test Redis, under a random prefix).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Cache, MemoryCache } from '../../src/infra/cache.js';
import type { Redis } from '../../src/infra/redis.js';
import { closeRedisClient } from '../../src/infra/redis.js';
import { RedisCache } from '../../src/infra/redis-cache.js';
import {
  deleteKeys,
  sharedClient,
  sleep,
  TEST_REDIS_URL,
  uniquePrefix,
  waitFor,
  redisConfigured,
} from './redis-helpers.js';

function describeCache(name: string, open: () => Promise<Cache>): void {
  // The Redis twin needs a Redis server: it runs when TEST_REDIS_URL is set.
  (name === 'redis' ? describe.skipIf(!redisConfigured) : describe)(`Cache: ${name}`, () => {
    let cache: Cache;
    beforeAll(async () => {
      cache = await open();
    });
    afterAll(async () => {
      await cache.close();
    });

    it('returns what was set, and null for an unknown key', async () => {
      await cache.set('item:1', '{"price":100}', 60);
      expect(await cache.get('item:1')).toBe('{"price":100}');
      expect(await cache.get('item:unknown')).toBeNull();
    });

    it('overwrites a value', async () => {
      await cache.set('item:2', 'a', 60);
      await cache.set('item:2', 'b', 60);
      expect(await cache.get('item:2')).toBe('b');
    });

    it('forgets a value when its TTL runs out', async () => {
      await cache.set('short', 'x', 0.2);
      await cache.set('long', 'y', 60);
      expect(await cache.get('short')).toBe('x');
      await sleep(350);
      expect(await cache.get('short')).toBeNull();
      expect(await cache.get('long')).toBe('y');
    });

    it('deletes one or several keys, and ignores unknown ones', async () => {
      await cache.set('d1', '1', 60);
      await cache.set('d2', '2', 60);
      await cache.set('d3', '3', 60);
      await cache.del('d1');
      expect(await cache.get('d1')).toBeNull();
      await cache.del('d2', 'd3', 'nope');
      expect(await cache.get('d2')).toBeNull();
      expect(await cache.get('d3')).toBeNull();
      await cache.del();
    });

    it('increments counters from 1, each key on its own, readable with get', async () => {
      expect(await cache.incr('ver:catalog')).toBe(1);
      expect(await cache.incr('ver:catalog')).toBe(2);
      expect(await cache.incr('ver:other')).toBe(1);
      expect(await cache.get('ver:catalog')).toBe('2');
      await cache.del('ver:catalog');
      expect(await cache.incr('ver:catalog')).toBe(1);
    });

    it('does not lose increments made concurrently', async () => {
      const results = await Promise.all(Array.from({ length: 50 }, () => cache.incr('ver:race')));
      expect(new Set(results).size).toBe(50);
      expect(Math.max(...results)).toBe(50);
    });

    it('reports a healthy status', () => {
      expect(cache.status()).toBe(cache.kind === 'memory' ? 'off' : 'ok');
    });
  });
}

describeCache('memory', () => Promise.resolve(new MemoryCache()));

const prefix = uniquePrefix();
const clients: Redis[] = [];

async function openRedisCache(): Promise<RedisCache> {
  const client = sharedClient();
  clients.push(client);
  const cache = new RedisCache(client, { keyPrefix: prefix });
  // The first generation check runs on connect; until then the cache (correctly) reads as a miss.
  await waitFor(() => cache.status() === 'ok', 5_000);
  return cache;
}

describeCache('redis', openRedisCache);

describe.skipIf(!redisConfigured)('RedisCache across nodes', () => {
  it('shares entries and deletions between two nodes', async () => {
    const [a, b] = await Promise.all([openRedisCache(), openRedisCache()]);
    await a.set('session:abc', 'player-1', 60);
    expect(await b.get('session:abc')).toBe('player-1');
    await b.del('session:abc');
    expect(await a.get('session:abc')).toBeNull();
    expect(await a.incr('ver:x')).toBe(1);
    expect(await b.incr('ver:x')).toBe(2);
    await Promise.all([a.close(), b.close()]);
  });

  it('keeps to its prefix', async () => {
    const cache = await openRedisCache();
    await cache.set('k', 'v', 60);
    const raw = clients[0]!;
    const [, keys] = await raw.scan('0', 'MATCH', `${prefix}*`, 'COUNT', 10_000);
    expect(keys.length).toBeGreaterThan(0);
    // Still under the run's prefix, so the clean-up finds it.
    const otherPrefix = new RedisCache(raw, { keyPrefix: `${prefix}other:` });
    await waitFor(() => otherPrefix.status() === 'ok', 5_000);
    expect(await otherPrefix.get('k')).toBeNull();
    await Promise.all([cache.close(), otherPrefix.close()]);
  });
});

afterAll(async () => {
  await Promise.all(clients.map(closeRedisClient));
  if (redisConfigured) await deleteKeys(TEST_REDIS_URL, prefix);
});

describe('MemoryCache bounds', () => {
  it('evicts the oldest entries past its size, but never a counter', async () => {
    const cache = new MemoryCache(3);
    expect(await cache.incr('catalog:version')).toBe(1);
    for (const key of ['a', 'b', 'c', 'd', 'e']) await cache.set(key, key, 60);
    expect(await cache.get('a')).toBeNull();
    expect(await cache.get('b')).toBeNull();
    expect(await cache.get('e')).toBe('e');
    expect(await cache.get('catalog:version')).toBe('1');
    expect(await cache.incr('catalog:version')).toBe(2);
  });
});
