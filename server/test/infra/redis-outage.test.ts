// Redis crashes and comes back: the twins fail fast and open while it is gone, recover by themselves,
// and serve nothing that was deleted during the outage. Runs on a private redis-server that it kills.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInfra, type Infra } from '../../src/infra/index.js';
import { createRedisClient } from '../../src/infra/redis.js';
import { CacheUnavailableError } from '../../src/infra/redis-cache.js';
import { PrivateRedis, redisServerInstalled, uniquePrefix, waitFor } from './redis-helpers.js';

/** Runs op and returns its result with how long it took. */
async function timed<T>(op: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await op();
  return { value, ms: performance.now() - started };
}

describe.skipIf(!redisServerInstalled)('Redis outage', () => {
  let redis: PrivateRedis;
  let nodeA: Infra;
  let nodeB: Infra;
  const prefix = uniquePrefix();
  const atA: unknown[] = [];
  const atB: unknown[] = [];

  beforeAll(async () => {
    redis = await PrivateRedis.start();
    // Connection errors are expected here; they go to a logger in production.
    nodeA = createInfra({ redis: redis.url, keyPrefix: prefix, onError: () => {} });
    nodeB = createInfra({ redis: redis.url, keyPrefix: prefix, onError: () => {} });
    nodeA.bus.subscribe('balance', (m) => atA.push(m));
    nodeB.bus.subscribe('balance', (m) => atB.push(m));
    await waitFor(() => nodeA.cache.status() === 'ok' && nodeB.cache.status() === 'ok', 10_000);
  });

  afterAll(async () => {
    await Promise.all([nodeA.close(), nodeB.close()]);
    await redis.destroy();
  });

  it('fails fast and open while Redis is down, and recovers without serving stale entries', async () => {
    // Before: both nodes share the cache, the counters and the bus.
    await nodeA.cache.set('balance:p1', '100', 3600);
    await nodeA.cache.set('catalog', '[...]', 3600);
    expect(await nodeB.cache.get('balance:p1')).toBe('100');
    expect((await nodeA.rateLimits.hit('login:p1', 60_000)).count).toBe(1);
    await waitFor(async () => {
      await nodeA.bus.publish('balance', 'before');
      return atB.includes('before');
    });

    await redis.kill();
    await waitFor(() => nodeA.cache.status() === 'down' && nodeB.cache.status() === 'down', 5_000);

    // Reads miss at once instead of waiting for Redis.
    for (const key of ['balance:p1', 'catalog', 'unknown']) {
      const read = await timed(() => nodeB.cache.get(key));
      expect(read.value).toBeNull();
      expect(read.ms).toBeLessThan(1_000);
    }
    // A write that should invalidate the balance cannot reach Redis; nodeA's del() still resolves.
    const del = await timed(() => nodeA.cache.del('balance:p1'));
    expect(del.ms).toBeLessThan(1_000);
    await expect(nodeA.cache.incr('ver:catalog')).rejects.toBeInstanceOf(CacheUnavailableError);
    await nodeA.cache.set('ignored', 'x', 60);
    // Rate limits fail open: not counted, a window of the asked length.
    const hit = await timed(() => nodeA.rateLimits.hit('login:p1', 60_000));
    expect(hit.ms).toBeLessThan(1_000);
    expect(hit.value.count).toBe(0);
    expect(hit.value.resetAt).toBeGreaterThan(Date.now() + 59_000);
    expect(await nodeA.rateLimits.peek('login:p1')).toBeNull();
    await nodeA.rateLimits.reset('login:p1');
    // Publishing is log-and-drop.
    const published = await timed(() => nodeA.bus.publish('balance', 'during'));
    expect(published.ms).toBeLessThan(1_000);

    // Redis comes back from its append-only file, holding everything it held at the crash, including
    // the balance entry whose del() failed. Prove it is there, so the assertion below can fail.
    await redis.restart();
    const raw = createRedisClient(redis.url);
    try {
      await waitFor(() => raw.status === 'ready', 5_000);
      const [, keys] = await raw.scan('0', 'MATCH', `${prefix}c:*:balance:p1`, 'COUNT', 1_000);
      expect(keys).toHaveLength(1);
      expect(await raw.get(keys[0]!)).toBe('100');
    } finally {
      raw.disconnect(false);
    }

    await waitFor(() => nodeA.cache.status() === 'ok' && nodeB.cache.status() === 'ok', 15_000);
    expect(await nodeB.cache.get('balance:p1')).toBeNull();
    expect(await nodeA.cache.get('balance:p1')).toBeNull();
    // The cache works again, for both nodes.
    // nodeB keeps a local copy of its last read (the miss just above): it sees nodeA's write when Redis's
    // invalidation message arrives, which in this one process may be just after nodeA's answer.
    await nodeA.cache.set('balance:p1', '80', 3600);
    await waitFor(async () => (await nodeB.cache.get('balance:p1')) === '80', 2_000);
    expect(await nodeB.cache.incr('ver:catalog')).toBe(1);
    // Rate limits count again (the restored window still holds its hit from before the crash).
    expect((await nodeA.rateLimits.hit('login:p1', 60_000)).count).toBe(2);

    // The subscriber connections re-subscribed by themselves: both nodes hear a publish again.
    await waitFor(async () => {
      await nodeB.bus.publish('balance', 'probe');
      return atA.includes('probe') && atB.includes('probe');
    });
    await nodeA.bus.publish('balance', 'after');
    await waitFor(() => atA.includes('after') && atB.includes('after'), 5_000);
    expect(atA).not.toContain('during');
    expect(atB).not.toContain('during');
  });

  it('starts a new cache generation when a connection drops while Redis stays up', async () => {
    // A command in flight at the drop may or may not have run, so a reconnect never trusts the old entries.
    await nodeA.cache.set('session:s1', 'p1', 3600);
    const raw = createRedisClient(redis.url);
    try {
      await waitFor(() => raw.status === 'ready', 5_000);
      const before = await raw.get(`${prefix}cache-gen`);
      expect(before).not.toBeNull();
      await raw.call('CLIENT', 'KILL', 'TYPE', 'normal', 'SKIPME', 'yes');
      await waitFor(async () => (await raw.get(`${prefix}cache-gen`)) !== before, 10_000);
    } finally {
      raw.disconnect(false);
    }
    await waitFor(() => nodeA.cache.status() === 'ok' && nodeB.cache.status() === 'ok', 10_000);
    expect(await nodeB.cache.get('session:s1')).toBeNull();
    await nodeB.cache.set('session:s1', 'p1', 3600);
    expect(await nodeA.cache.get('session:s1')).toBe('p1');
  });
});
