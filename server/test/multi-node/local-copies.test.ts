/**
 * Two server nodes on different ports, sharing one Postgres and one Redis (multi-node/fixture.ts), behave as
 * one server: warm pages and sessions are served from process memory and kept coherent through Redis: never a copy stale after a write answered on another node, however late Redis tells it. Postgres only.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createRedisClient } from '../../src/infra/redis';
import { RedisCache } from '../../src/infra/redis-cache';
import { api, call, register } from '../helpers/http';
import { sharedBackend, startServer } from '../helpers/server';
import { RedisRelay, redisServerInstalled, waitFor } from '../infra/redis-helpers';
import type { TestServer } from '../helpers/server';
import { shopPage, catalogOf, readiness, redisEntries, type Item, twoNodes, type TwoNodes } from './fixture';

describe.skipIf(!redisServerInstalled)('two nodes: local-copies', () => {
  const nodes = twoNodes();
  const { newAdmin } = nodes;
  let a: TestServer;
  let b: TestServer;
  let redis: TwoNodes['redis'];
  let database: TwoNodes['database'];
  let prefix: string;
  beforeAll(() => {
    ({ a, b, redis, database, prefix } = nodes.current());
  });

  it('serves warm pages and sessions from process memory, and hears changes through Redis', async () => {
    // The cache's commands (keys under `<prefix>c:` and the generation key) that Redis runs while `work`
    // runs, seen through MONITOR: presence and matchmaking timers of the nodes use Redis too, and are not counted.
    async function cacheCommandsDuring(work: () => Promise<void>): Promise<number> {
      const monitor = await createRedisClient(redis.url).monitor();
      let count = 0;
      monitor.on('monitor', (_time: string, args: string[]) => {
        if (args.some((arg) => arg.startsWith(`${prefix}c`))) count += 1;
      });
      try {
        await work();
        return count;
      } finally {
        monitor.disconnect(false);
      }
    }
    const pilot = await register(a);
    const token = pilot.token;
    // Warm B: the catalog page and the session are read from Redis once, then kept.
    for (let i = 0; i < 3; i += 1) {
      expect((await shopPage(b)).status).toBe(200);
      expect((await call(b, 'GET', api('/me/items'), { token })).status).toBe(200);
    }
    const cacheCommands = await cacheCommandsDuring(async () => {
      for (let i = 0; i < 20; i += 1) {
        expect((await shopPage(b)).status).toBe(200);
        expect((await call(b, 'GET', api('/me/items'), { token })).status).toBe(200);
      }
    });
    // Two cache reads per page and two per session lookup would be 80 round trips; a few stray ones are
    // allowed, not one per request. (Each read still waits for a fence, a PING on the node's invalidation
    // connection, shared by the reads of one event-loop turn: not counted here, it names no key.)
    expect(cacheCommands).toBeLessThan(20);

    // Doctor B's page in Redis itself, under the current generation: only Redis's invalidation
    // message can tell B that its copy is gone.
    const generation = (await redisEntries(redis.url, `${prefix}cache-gen`)).get(`${prefix}cache-gen`);
    const versionKey = `${prefix}c:${generation}:catalog:version`;
    const version = (await redisEntries(redis.url, versionKey)).get(versionKey) ?? '0';
    const pages = await redisEntries(redis.url, `${prefix}c:${generation}:shop:page:v4:${version}:en:100:0:`);
    expect(pages.size).toBe(1);
    const [pageKey, stored] = [...pages][0]!;
    const split = (stored ?? '').indexOf('\n');
    const page = JSON.parse((stored ?? '').slice(split + 1)) as { items: Item[] };
    const doctored = {
      ...page,
      items: page.items.map((item, i) => (i === 0 ? { ...item, price: 424_242 } : item)),
    };
    const writer = createRedisClient(redis.url);
    try {
      await waitFor(() => writer.status === 'ready', 5_000);
      await writer.set(pageKey, `"doctored"\n${JSON.stringify(doctored)}`, 'EX', 60);
    } finally {
      writer.disconnect(false);
    }
    await waitFor(async () => (await shopPage(b)).body.items[0]?.price === 424_242, 2_000);
    expect((await shopPage(b)).headers.get('etag')).toBe('"doctored"');

    // Leave the catalog as it was for the tests after this one: deleting the doctored page tells both
    // nodes (through the same invalidation) to read it from Postgres again.
    const cleaner = createRedisClient(redis.url);
    try {
      await waitFor(() => cleaner.status === 'ready', 5_000);
      await cleaner.del(pageKey);
    } finally {
      cleaner.disconnect(false);
    }
    for (const node of [a, b]) {
      await waitFor(async () => (await shopPage(node)).body.items[0]?.price !== 424_242, 2_000);
    }
  });

  it('never serves a copy stale after a write answered on another node, however late Redis tells it', async () => {
    // A third node, C, reaches Redis through a relay that can deliver everything Redis sends it late. While
    // it does, any answer C gave from a copy without waiting for the write's invalidation would be stale,
    // every time: the race that a fast local Redis only shows now and then becomes certain.
    const relay = await RedisRelay.start(redis.url);
    const c = await startServer(
      sharedBackend,
      { REDIS_URL: relay.url },
      { databaseUrl: database.url, redisKeyPrefix: prefix },
    );
    const copiesAtC = () => (c.ctx.cache instanceof RedisCache ? c.ctx.cache.localCopies : 0);
    try {
      await waitFor(async () => (await readiness(c)).redis === 'ok');
      const boss = await newAdmin();
      for (const [round, writer] of [a, b, a, b].entries()) {
        const pilot = await register(writer);
        const token = pilot.token;
        // Warm C: the catalog version, the page, the session revision and the session are kept in memory.
        relay.delayMs = 0;
        for (let i = 0; i < 2; i += 1) {
          expect((await shopPage(c)).status).toBe(200);
          expect((await call(c, 'GET', api('/me'), { token })).status).toBe(200);
        }
        expect(copiesAtC()).toBeGreaterThanOrEqual(4);
        const target = (await catalogOf(c))[round];
        if (!target) throw new Error('catalog too small');

        relay.delayMs = 150;
        const price = target.price + 1 + round;
        const patched = await call(writer, 'PATCH', api(`/admin/items/${target.id}`), {
          token: boss.token,
          body: { price },
        });
        expect(patched.status, patched.text).toBe(200);
        expect((await catalogOf(c)).find((item) => item.id === target.id)?.price, `round ${round}`).toBe(
          price,
        );
        expect((await call(writer, 'POST', api('/auth/logout'), { token })).status).toBe(204);
        expect((await call(c, 'GET', api('/me'), { token })).status, `round ${round}`).toBe(401);
      }
    } finally {
      relay.delayMs = 0;
      await c.close();
      await relay.close();
    }
  });
});
