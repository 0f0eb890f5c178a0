// One MatchQueue suite, run over MemoryMatchQueue and RedisMatchQueue (shared test Redis, random prefix).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  allowedGap,
  MATCH_GAP,
  type MatchQueue,
  MemoryMatchQueue,
  type QueueEntry,
} from '../../src/infra/match-queue.js';
import { closeRedisClient, type Redis } from '../../src/infra/redis.js';
import { RedisMatchQueue } from '../../src/infra/redis-match-queue.js';
import {
  deleteKeys,
  redisConfigured,
  sharedClient,
  TEST_REDIS_URL,
  uniquePrefix,
  waitFor,
} from './redis-helpers.js';

const T0 = 1_800_000_000_000;
const entry = (playerId: string, stake: number, rating: number, queuedAt = T0): QueueEntry => ({
  playerId,
  stake,
  rating,
  queuedAt,
});
const ids = (pair: [QueueEntry, QueueEntry] | null) => pair?.map((e) => e.playerId).sort() ?? null;

function describeQueue(name: 'memory' | 'redis', open: () => MatchQueue) {
  (name === 'redis' ? describe.skipIf(!redisConfigured) : describe)(`MatchQueue: ${name}`, () => {
    let queue: MatchQueue;
    beforeEach(() => {
      queue = open();
    });

    it('pairs only players with the same stake', async () => {
      await queue.join(entry('a', 100, 1000));
      await queue.join(entry('b', 200, 1000));
      expect(await queue.popPair(T0)).toBeNull();
      await queue.join(entry('c', 200, 1010));
      const pair = await queue.popPair(T0);
      expect(ids(pair)).toEqual(['b', 'c']);
      expect(pair?.every((e) => e.stake === 200)).toBe(true);
      expect(await queue.length()).toBe(1);
      expect(await queue.entry('a')).toEqual(entry('a', 100, 1000));
      expect(await queue.entry('b')).toBeNull();
    });

    it('pairs the closest ratings first', async () => {
      for (const [id, rating] of [
        ['w', 1000],
        ['x', 1060],
        ['y', 1075],
        ['z', 1150],
      ] as const)
        await queue.join(entry(id, 0, rating));
      expect(ids(await queue.popPair(T0))).toEqual(['x', 'y']);
      // w–z (150 apart) are beyond the gap allowed at once.
      expect(await queue.popPair(T0)).toBeNull();
      expect(await queue.length()).toBe(2);
    });

    it('widens the allowed gap with waiting time', async () => {
      const gap = 300;
      await queue.join(entry('low', 50, 1000));
      await queue.join(entry('high', 50, 1000 + gap, T0 + 5_000));
      // Needed wait for a gap of 300: (300 - base) / perSecond seconds, counted from the older entry.
      const needed = ((gap - MATCH_GAP.base) / MATCH_GAP.perSecond) * 1000;
      expect(allowedGap(needed)).toBe(gap);
      expect(await queue.popPair(T0 + needed - 1)).toBeNull();
      expect(ids(await queue.popPair(T0 + needed))).toEqual(['high', 'low']);
    });

    it('keeps one entry per player: joining again replaces the stake', async () => {
      await queue.join(entry('a', 100, 1000));
      await queue.join(entry('a', 300, 1000));
      await queue.join(entry('b', 100, 1000));
      expect(await queue.popPair(T0)).toBeNull();
      expect(await queue.length()).toBe(2);
      await queue.join(entry('c', 300, 1000));
      expect(ids(await queue.popPair(T0))).toEqual(['a', 'c']);
    });

    it('leaves the queue', async () => {
      await queue.join(entry('a', 0, 1000));
      expect(await queue.leave('a')).toEqual(entry('a', 0, 1000));
      expect(await queue.leave('a')).toBeNull();
      await queue.join(entry('b', 0, 1000));
      expect(await queue.popPair(T0)).toBeNull();
      expect(await queue.length()).toBe(1);
    });

    it('hands each player to one caller only, whatever pops concurrently', async () => {
      for (let i = 0; i < 40; i++) await queue.join(entry(`p${String(i).padStart(2, '0')}`, i % 2, 1000 + i));
      const pops = await Promise.all(Array.from({ length: 30 }, () => queue.popPair(T0)));
      const paired = pops.flatMap((pair) => pair?.map((e) => e.playerId) ?? []);
      expect(paired).toHaveLength(40);
      expect(new Set(paired).size).toBe(40);
      expect(await queue.length()).toBe(0);
    });
  });
}

describeQueue('memory', () => new MemoryMatchQueue());

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

describeQueue('redis', () => {
  if (!client) throw new Error('no Redis client');
  const keyPrefix = uniquePrefix();
  prefixes.push(keyPrefix);
  return new RedisMatchQueue(client, { keyPrefix });
});
