// Local copies (redis-tracking.ts) never serve a value that a write acknowledged before the read began has
// changed, however late Redis's invalidation message reaches the node: the message is made late on
// purpose, by relaying the invalidation connection through a RedisRelay that delays or holds what Redis
// sends. Also: a dropped or stalled invalidation connection, and a flush. Runs on a private redis-server
// (it flushes it).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeRedisClient, createRedisClient, type Redis } from '../../src/infra/redis.js';
import { RedisCache } from '../../src/infra/redis-cache.js';
import {
  PrivateRedis,
  RedisRelay,
  redisServerInstalled,
  sleep,
  uniquePrefix,
  waitFor,
} from './redis-helpers.js';

/** A node with local copies whose invalidation connection goes through `relay`; `commands` counts its data commands. */
interface LocalNode {
  cache: RedisCache;
  commands: () => number;
}

describe.skipIf(!redisServerInstalled)('local copies: the read fence', () => {
  let redis: PrivateRedis;
  let relay: RedisRelay;
  const prefix = uniquePrefix();
  const clients: Redis[] = [];
  const caches: RedisCache[] = [];

  beforeAll(async () => {
    redis = await PrivateRedis.start();
    relay = await RedisRelay.start(redis.url);
  });

  afterAll(async () => {
    await Promise.all(caches.map((cache) => cache.close()));
    await Promise.all(clients.map(closeRedisClient));
    await relay?.close();
    await redis?.destroy();
  });

  function client(url: string): Redis {
    const c = createRedisClient(url, { commandTimeoutMs: 1_000 });
    clients.push(c);
    return c;
  }

  async function localNode(): Promise<LocalNode> {
    const data = client(redis.url);
    let commands = 0;
    const send = data.sendCommand.bind(data);
    data.sendCommand = ((...args: Parameters<Redis['sendCommand']>) => {
      commands += 1;
      return send(...args);
    }) as Redis['sendCommand'];
    const cache = new RedisCache(data, { keyPrefix: prefix, invalidations: client(relay.url) });
    caches.push(cache);
    await waitFor(async () => {
      if (cache.status() !== 'ok') return false;
      await cache.get('probe:warm');
      return cache.localCopies > 0;
    }, 5_000);
    return { cache, commands: () => commands };
  }

  /** Another node, without local copies: its writes are acknowledged when their promise resolves. */
  async function plainNode(): Promise<RedisCache> {
    const cache = new RedisCache(client(redis.url), { keyPrefix: prefix });
    caches.push(cache);
    await waitFor(() => cache.status() === 'ok', 5_000);
    return cache;
  }

  it('serves unchanged values from memory, without a data round trip', async () => {
    relay.delayMs = 0;
    const b = await localNode();
    const writer = await plainNode();
    await writer.set('page:warm', 'v1', 60);
    expect(await b.cache.get('page:warm')).toBe('v1');
    const before = b.commands();
    for (let i = 0; i < 20; i += 1) expect(await b.cache.get('page:warm')).toBe('v1');
    expect(b.commands()).toBe(before);
  });

  it('never serves a stale copy after a write acknowledged elsewhere, however late the invalidation', async () => {
    const b = await localNode();
    const writer = await plainNode();
    await writer.set('page:1', 'v1', 60);
    expect(await writer.incr('catalog:version')).toBe(1);
    expect(await b.cache.get('page:1')).toBe('v1');
    expect(await b.cache.get('catalog:version')).toBe('1');
    expect(await b.cache.get('absent:1')).toBeNull();
    expect(b.cache.localCopies).toBeGreaterThanOrEqual(3);

    // From here on every invalidation reaches b 200 ms after Redis sent it: far longer than b takes to
    // answer from memory, so a read that trusted its copy without waiting would be stale every time.
    relay.delayMs = 200;
    try {
      await writer.set('page:1', 'v2', 60);
      expect(await b.cache.get('page:1')).toBe('v2');
      expect(await writer.incr('catalog:version')).toBe(2);
      expect(await b.cache.get('catalog:version')).toBe('2');
      await writer.set('absent:1', 'here now', 60);
      expect(await b.cache.get('absent:1')).toBe('here now');
      await writer.del('page:1');
      expect(await b.cache.get('page:1')).toBeNull();
    } finally {
      relay.delayMs = 0;
    }
  });

  it('makes a read wait for the invalidation in flight, then answers with the new value', async () => {
    const b = await localNode();
    const writer = await plainNode();
    await writer.set('session:1', 'alive', 60);
    expect(await b.cache.get('session:1')).toBe('alive');
    relay.hold();
    let read: Promise<string | null> | undefined;
    try {
      await writer.set('session:1', 'revoked', 60); // acknowledged: every read that starts now must see it
      let answered = false;
      read = b.cache.get('session:1').finally(() => {
        answered = true;
      });
      await sleep(100);
      expect(answered).toBe(false); // held behind the invalidation, not answered from the old copy
    } finally {
      relay.release();
    }
    expect(await read).toBe('revoked');
  });

  it('never lets a read ride on a fence that was sent before the read began', async () => {
    const b = await localNode();
    const writer = await plainNode();
    await writer.set('page:ride', 'v1', 60);
    expect(await b.cache.get('page:ride')).toBe('v1');
    relay.delayMs = 200;
    try {
      // The first read's PING reaches Redis before the write; its PONG comes back 200 ms later, ahead of
      // the write's invalidation. A read that starts after the write must wait for a PING of its own.
      const early = b.cache.get('page:ride');
      await sleep(50);
      await writer.set('page:ride', 'v2', 60);
      const late = b.cache.get('page:ride');
      expect(await early).toBe('v1'); // began before the write: either answer is right; this one is the copy
      expect(await late).toBe('v2');
    } finally {
      relay.delayMs = 0;
    }
  });

  it('keeps one fence PING out at a time: reads asked for while one is out share the next', async () => {
    const data = client(redis.url);
    const invalidations = client(relay.url);
    let pings = 0;
    const ping = invalidations.ping.bind(invalidations);
    invalidations.ping = (() => {
      pings += 1;
      return ping();
    }) as Redis['ping'];
    const cache = new RedisCache(data, { keyPrefix: prefix, invalidations });
    caches.push(cache);
    const writer = await plainNode();
    await writer.set('page:shared', 'v1', 60);
    await waitFor(async () => (await cache.get('page:shared')) === 'v1' && cache.localCopies > 0, 5_000);
    relay.delayMs = 100;
    try {
      pings = 0;
      const first = cache.get('page:shared');
      await sleep(10); // its PING is out now
      // Ten reads in ten different turns of the event loop, all while that PING is out.
      const later: Promise<string | null>[] = [];
      for (let i = 0; i < 10; i += 1) {
        later.push(cache.get('page:shared'));
        await new Promise((resolve) => setImmediate(resolve));
      }
      expect(await first).toBe('v1');
      expect(await Promise.all(later)).toEqual(Array(10).fill('v1'));
      expect(pings).toBe(2);
    } finally {
      relay.delayMs = 0;
    }
  });

  it('drops every copy when the invalidation connection drops, and keeps none until tracking is back', async () => {
    const b = await localNode();
    const writer = await plainNode();
    await writer.set('page:cut', 'v1', 60);
    expect(await b.cache.get('page:cut')).toBe('v1');
    relay.hold(); // the closing below must be what drops the copies, not an invalidation
    relay.cut();
    relay.release();
    await waitFor(() => b.cache.localCopies === 0, 2_000);
    await writer.set('page:cut', 'v2', 60);
    expect(await b.cache.get('page:cut')).toBe('v2');
    // Tracking comes back on a new invalidation connection, and copies with it.
    await waitFor(async () => {
      await b.cache.get('page:cut');
      return b.cache.localCopies > 0;
    }, 5_000);
    await writer.set('page:cut', 'v3', 60);
    expect(await b.cache.get('page:cut')).toBe('v3');
  });

  it('answers from Redis, never from a copy, while the invalidation connection hangs without closing', async () => {
    const b = await localNode();
    const writer = await plainNode();
    await writer.set('page:hang', 'v1', 60);
    expect(await b.cache.get('page:hang')).toBe('v1');
    relay.hold();
    try {
      await writer.set('page:hang', 'v2', 60);
      const started = performance.now();
      expect(await b.cache.get('page:hang')).toBe('v2');
      // One command timeout (1 s) at most; after that the node stops trusting its copies at once.
      expect(performance.now() - started).toBeLessThan(3_000);
      await writer.set('page:hang', 'v3', 60);
      const next = performance.now();
      expect(await b.cache.get('page:hang')).toBe('v3');
      expect(performance.now() - next).toBeLessThan(500);
    } finally {
      relay.release();
    }
    await waitFor(async () => {
      await b.cache.get('page:hang');
      return b.cache.localCopies > 0;
    }, 5_000);
    expect(await b.cache.get('page:hang')).toBe('v3');
  });

  it('drops every copy when Redis is flushed, even when the flush is heard late', async () => {
    const b = await localNode();
    const admin = client(redis.url);
    await b.cache.set('page:flush', 'v1', 60);
    expect(await b.cache.get('page:flush')).toBe('v1');
    relay.delayMs = 200;
    try {
      await waitFor(() => admin.status === 'ready', 5_000);
      await admin.flushall();
      expect(await b.cache.get('page:flush')).toBeNull();
    } finally {
      relay.delayMs = 0;
    }
    expect(await b.cache.get('page:flush')).toBeNull();
    await b.cache.set('page:flush', 'v2', 60);
    expect(await b.cache.get('page:flush')).toBe('v2');
  });
});
