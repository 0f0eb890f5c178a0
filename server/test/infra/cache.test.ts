// One Cache suite, run over MemoryCache and RedisCache (the shared test Redis, under a random prefix).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Cache, MemoryCache } from '../../src/infra/cache.js';
import type { Redis } from '../../src/infra/redis.js';
import { closeRedisClient, createRedisClient } from '../../src/infra/redis.js';
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

/**
 * Lets `ms` pass for a twin's TTLs: the memory twin's clock is moved on; the Redis twin's TTLs run on the
 * Redis server's own clock, which only waiting moves.
 */
type Elapse = (ms: number) => Promise<void>;

function describeCache(name: string, open: () => Promise<Cache>, elapse: Elapse): void {
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
      await elapse(350);
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

/** The memory twin's clock: the wall clock plus the time the tests let pass. */
const memoryClock = { offset: 0, now: () => Date.now() + memoryClock.offset };
describeCache(
  'memory',
  () => Promise.resolve(new MemoryCache(undefined, memoryClock.now)),
  async (ms) => {
    memoryClock.offset += ms;
  },
);

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

describeCache('redis', openRedisCache, sleep);

/** A RedisCache with local copies: its own data connection and invalidation connection (named, to find it). */
async function openLocalCache(
  name = 'local',
  keyPrefix = prefix,
): Promise<{ cache: RedisCache; data: Redis; commands: () => number }> {
  const data = sharedClient();
  const invalidations = createRedisClient(TEST_REDIS_URL, { connectionName: `${prefix}${name}-inval` });
  clients.push(data);
  let commands = 0;
  // Every command the cache sends to Redis (pipelines included) goes through sendCommand.
  const send = data.sendCommand.bind(data);
  data.sendCommand = ((...args: Parameters<Redis['sendCommand']>) => {
    commands += 1;
    return send(...args);
  }) as Redis['sendCommand'];
  const cache = new RedisCache(data, { keyPrefix, invalidations });
  await waitFor(async () => {
    if (cache.status() !== 'ok') return false;
    // Local copies are on once a read is kept.
    await cache.get('probe:warm');
    return cache.localCopies > 0;
  }, 5_000);
  return { cache, data, commands: () => commands };
}

// Its own prefix: the suite counts counters from 1, and the plain Redis suite used those keys already.
describeCache(
  'redis with local copies',
  async () => (await openLocalCache('suite', `${prefix}suite:`)).cache,
  sleep,
);

describe.skipIf(!redisConfigured)('RedisCache local copies (client-side caching)', () => {
  const raw = () => {
    const client = sharedClient();
    clients.push(client);
    return client;
  };

  async function dataKey(client: Redis, key: string): Promise<string> {
    await waitFor(() => client.status === 'ready', 5_000);
    const generation = await client.get(`${prefix}cache-gen`);
    return `${prefix}c:${generation}:${key}`;
  }

  it('serves repeated reads from memory, and a write from elsewhere reaches it through Redis', async () => {
    const b = await openLocalCache('b');
    const writer = raw();
    await b.cache.set('page:1', 'v1', 60);
    expect(await b.cache.get('page:1')).toBe('v1');
    expect(await b.cache.get('missing:1')).toBeNull();
    const before = b.commands();
    for (let i = 0; i < 50; i += 1) {
      expect(await b.cache.get('page:1')).toBe('v1');
      expect(await b.cache.get('missing:1')).toBeNull();
    }
    expect(b.commands() - before).toBe(0);

    // Written straight into Redis, not through any cache: only Redis's invalidation message can tell b.
    await writer.set(await dataKey(writer, 'page:1'), 'v2', 'EX', 60);
    await writer.set(await dataKey(writer, 'missing:1'), 'now here', 'EX', 60);
    await waitFor(async () => (await b.cache.get('page:1')) === 'v2', 2_000);
    await waitFor(async () => (await b.cache.get('missing:1')) === 'now here', 2_000);
    // A new generation (what a reconnect or failed write makes) drops every copy.
    await writer.set(`${prefix}cache-gen`, `${Date.now()}9`);
    await waitFor(async () => (await b.cache.get('page:1')) === null, 2_000);
    await b.cache.close();
  });

  it('stops serving copies when its invalidation connection drops, and resumes when it is back', async () => {
    const b = await openLocalCache('lost');
    const admin = raw();
    await b.cache.set('session:x', 'p1', 60);
    expect(await b.cache.get('session:x')).toBe('p1');
    const list = String(await admin.call('CLIENT', 'LIST', 'TYPE', 'pubsub'));
    const id = /^id=(\d+) .* name=(\S+)/m.exec(
      list.split('\n').find((line) => line.includes(`name=${prefix}lost-inval `)) ?? '',
    )?.[1];
    expect(id).toBeDefined();
    await admin.call('CLIENT', 'KILL', 'ID', id!);
    // While b cannot hear invalidations, a write it did not make must show on its next read.
    await admin.set(await dataKey(admin, 'session:x'), 'p2', 'EX', 60);
    await waitFor(async () => (await b.cache.get('session:x')) === 'p2', 2_000);
    // The invalidation connection comes back by itself, with a new id that tracking is redirected to.
    await waitFor(async () => {
      await b.cache.get('session:x');
      return b.cache.localCopies > 0;
    }, 5_000);
    const before = b.commands();
    expect(await b.cache.get('session:x')).toBe('p2');
    expect(b.commands()).toBe(before);
    await admin.set(await dataKey(admin, 'session:x'), 'p3', 'EX', 60);
    await waitFor(async () => (await b.cache.get('session:x')) === 'p3', 2_000);
    await b.cache.close();
  });
});

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
