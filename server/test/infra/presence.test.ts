// One Presence suite, run over MemoryPresence (nodes sharing one hub) and RedisPresence (the shared test
// Redis under a random prefix per test). Several "nodes" are several Presence objects on one store; a node
// "dies" by never ticking again (no close), as a SIGKILLed process would.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MemoryPresence, MemoryPresenceHub, type Presence } from '../../src/infra/presence.js';
import { closeRedisClient, type Redis } from '../../src/infra/redis.js';
import { RedisPresence } from '../../src/infra/redis-presence.js';
import {
  deleteKeys,
  redisConfigured,
  sharedClient,
  TEST_REDIS_URL,
  uniquePrefix,
  waitFor,
} from './redis-helpers.js';

type NodeFactory = (options?: { ttlMs?: number }) => Presence;

/**
 * The nodes' clock: a test moves it past a heartbeat's TTL instead of sleeping through it. It never goes
 * back (the Redis suite's keys outlive a test), and starts each test at least at the wall clock.
 */
const clock = { at: Date.now(), now: () => clock.at };

function describePresence(
  name: 'memory' | 'redis',
  setup: () => { node: NodeFactory; cleanup(): Promise<void> },
) {
  (name === 'redis' ? describe.skipIf(!redisConfigured) : describe)(`Presence: ${name}`, () => {
    let node: NodeFactory;
    let cleanup: () => Promise<void>;
    beforeEach(async () => {
      clock.at = Math.max(clock.at, Date.now());
      await cleanup?.();
      ({ node, cleanup } = setup());
    });
    afterAll(async () => {
      await cleanup?.();
    });

    it('is online from the first socket to the last, on one node', async () => {
      const a = node();
      expect(await a.isOnline('p1')).toBe(false);
      expect(await a.connect('p1', 5)).toEqual({ accepted: true, cameOnline: true });
      expect(await a.connect('p1', 5)).toEqual({ accepted: true, cameOnline: false });
      expect(await a.isOnline('p1')).toBe(true);
      expect(await a.disconnect('p1')).toBe(false);
      expect(await a.isOnline('p1')).toBe(true);
      expect(await a.disconnect('p1')).toBe(true);
      expect(await a.isOnline('p1')).toBe(false);
      // A disconnect that was never connected here changes nothing.
      expect(await a.disconnect('p1')).toBe(false);
    });

    it('counts sockets across nodes: online while any node holds one', async () => {
      const a = node();
      const b = node();
      expect((await a.connect('p1', 5)).cameOnline).toBe(true);
      expect((await b.connect('p1', 5)).cameOnline).toBe(false);
      expect(await a.disconnect('p1')).toBe(false);
      expect(await b.isOnline('p1')).toBe(true);
      // b's socket cannot be closed through a.
      expect(await a.disconnect('p1')).toBe(false);
      expect(await a.isOnline('p1')).toBe(true);
      expect(await b.disconnect('p1')).toBe(true);
      expect(await a.isOnline('p1')).toBe(false);
    });

    it('refuses a socket beyond the maximum, counted over all nodes', async () => {
      const a = node();
      const b = node();
      for (let i = 0; i < 3; i++) expect((await a.connect('p1', 5)).accepted).toBe(true);
      for (let i = 0; i < 2; i++) expect((await b.connect('p1', 5)).accepted).toBe(true);
      expect(await a.connect('p1', 5)).toEqual({ accepted: false, cameOnline: false });
      expect(await b.connect('p1', 5)).toEqual({ accepted: false, cameOnline: false });
      await b.disconnect('p1');
      expect((await a.connect('p1', 5)).accepted).toBe(true);
      expect((await a.connect('p2', 5)).accepted).toBe(true);
    });

    it('lists online players in id order, page by page', async () => {
      const a = node();
      const b = node();
      const ids = ['p5', 'p1', 'p4', 'p2', 'p3'];
      for (const [i, id] of ids.entries()) await (i % 2 ? a : b).connect(id, 5);
      expect(await a.count()).toBe(5);
      expect(await a.list(null, 2)).toEqual(['p1', 'p2']);
      expect(await b.list('p2', 2)).toEqual(['p3', 'p4']);
      expect(await a.list('p4', 2)).toEqual(['p5']);
      expect(await a.list('p5', 2)).toEqual([]);
      await b.disconnect('p3');
      expect(await a.list('p2', 10)).toEqual(['p4', 'p5']);
    });

    it("forgets a dead node's sockets after its heartbeat runs out, exactly once", async () => {
      const dead = node({ ttlMs: 300 });
      const live = node({ ttlMs: 300 });
      const other = node({ ttlMs: 300 });
      await dead.connect('lonely', 5);
      await dead.connect('shared', 5);
      await live.connect('shared', 5);
      await dead.tick();
      expect(await live.tick()).toEqual([]);
      expect(await live.isOnline('lonely')).toBe(true);
      clock.at += 450; // dead never ticks again
      const [first, second] = await Promise.all([live.tick(), other.tick()]);
      expect([...first, ...second]).toEqual(['lonely']);
      expect(await live.isOnline('lonely')).toBe(false);
      expect(await live.isOnline('shared')).toBe(true);
      expect(await live.list(null, 10)).toEqual(['shared']);
      expect(await live.disconnect('shared')).toBe(true);
    });

    it('sweeps a node that died before its first tick', async () => {
      const dead = node({ ttlMs: 200 });
      const live = node({ ttlMs: 200 });
      await dead.connect('early', 5);
      clock.at += 300;
      expect(await live.tick()).toEqual(['early']);
      expect(await live.isOnline('early')).toBe(false);
    });

    it('writes a live node back after others swept it (it could not tick for a while)', async () => {
      const slow = node({ ttlMs: 200 });
      const live = node({ ttlMs: 200 });
      await slow.connect('p1', 5);
      await slow.connect('p1', 5);
      await slow.tick();
      clock.at += 300;
      expect(await live.tick()).toEqual(['p1']);
      expect(await live.isOnline('p1')).toBe(false);
      await slow.tick();
      expect(await live.isOnline('p1')).toBe(true);
      // Both sockets came back: one disconnect leaves it online.
      expect(await slow.disconnect('p1')).toBe(false);
      expect(await slow.disconnect('p1')).toBe(true);
    });

    it('removes its sockets on close and names who went offline', async () => {
      const a = node();
      const b = node();
      await a.connect('p1', 5);
      await a.connect('p2', 5);
      await b.connect('p2', 5);
      expect(await a.close()).toEqual(['p1']);
      expect(await b.isOnline('p1')).toBe(false);
      expect(await b.isOnline('p2')).toBe(true);
    });
  });
}

describePresence('memory', () => {
  const hub = new MemoryPresenceHub();
  return {
    node: (options) => new MemoryPresence({ ...options, hub, now: clock.now }),
    cleanup: async () => {},
  };
});

let client: Redis | null = null;
const prefixes: string[] = [];
beforeAll(async () => {
  if (!redisConfigured) return;
  client = sharedClient();
  await waitFor(() => client?.status === 'ready', 5_000);
});
afterAll(async () => {
  for (const prefix of prefixes) await deleteKeys(TEST_REDIS_URL, prefix);
  if (client) await closeRedisClient(client);
});

describePresence('redis', () => {
  const keyPrefix = uniquePrefix();
  prefixes.push(keyPrefix);
  return {
    node: (options) => {
      if (!client) throw new Error('no Redis client');
      return new RedisPresence(client, { ...options, keyPrefix, now: clock.now });
    },
    cleanup: async () => {},
  };
});
