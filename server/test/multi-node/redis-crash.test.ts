/**
 * Two server nodes on different ports, sharing one Postgres and one Redis (multi-node/fixture.ts), behave as
 * one server: a Redis crash and restart under traffic costs no wrong answer, no lost request and no stale entry, and the nodes recover by themselves. Postgres only.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../../src/features/auth/auth.service';
import { api, call, register } from '../helpers/http';
import { type TestServer } from '../helpers/server';
import { redisServerInstalled, waitFor } from '../infra/redis-helpers';
import {
  rng,
  shopPage,
  catalogOf,
  readiness,
  redisEntries,
  describeAnswer,
  type Item,
  twoNodes,
  type TwoNodes,
} from './fixture';

describe.skipIf(!redisServerInstalled)('two nodes: redis-crash', () => {
  const nodes = twoNodes();
  const { nameOf, newPilot, newAdmin, randomStep, expectBooks } = nodes;
  let a: TestServer;
  let b: TestServer;
  let redis: TwoNodes['redis'];
  let prefix: string;
  beforeAll(() => {
    ({ a, b, redis, prefix } = nodes.current());
  });

  it('serves correctly through a Redis crash and restart under traffic, and recovers by itself', async () => {
    const seed = (Date.now() >>> 0) ^ 0x5eed;
    const boss = await newAdmin();
    const catalog = await catalogOf(a);
    const edited = catalog[2];
    if (!edited) throw new Error('catalog too small');
    // The traffic trades every item but the one the admin reprices during the test, so that every
    // expected balance is exact; the shop pages it reads must match a catalog version that was current
    // at some moment during the request.
    const tradable = catalog.filter((item) => item.id !== edited.id).map((item) => item.id);
    const prices = new Map(catalog.map((item) => [item.id, item.price]));
    const versions: Map<number, number>[] = [new Map(prices)];
    let committed = 0; // versions[committed] is current; versions up to `announced` may be, mid-edit
    let announced = 0;
    async function reprice(node: TestServer, price: number): Promise<void> {
      versions.push(new Map(versions[versions.length - 1]).set(edited!.id, price));
      announced = versions.length - 1;
      const patched = await call(node, 'PATCH', api(`/admin/items/${edited!.id}`), {
        token: boss.token,
        body: { price },
      });
      expect(patched.status, patched.text).toBe(200);
      committed = announced;
    }
    async function expectShopPrice(node: TestServer, price: number): Promise<void> {
      expect((await catalogOf(node)).find((item) => item.id === edited!.id)?.price).toBe(price);
    }

    const pilots = await Promise.all([0, 1, 2].map(() => newPilot(400_000)));
    const victim = await register(a); // logged out during the outage

    type Phase = 'before' | 'during' | 'restarting' | 'after';
    let phase: Phase = 'before';
    const opsIn: Record<Phase, number> = { before: 0, during: 0, restarting: 0, after: 0 };
    const failures: string[] = [];
    let sent = 0;
    let answered = 0;
    let stop = false;

    async function shopCheck(node: TestServer): Promise<string | null> {
      const lo = committed;
      const answer = await shopPage(node);
      const hi = announced;
      if (answer.status !== 200) return `${nameOf(node)} shop: ${describeAnswer(answer)}`;
      const seen = new Map(answer.body.items.map((item) => [item.id, item.price]));
      for (let v = lo; v <= hi; v += 1) {
        const expected = versions[v]!;
        if (seen.size === expected.size && [...expected].every(([id, price]) => seen.get(id) === price)) {
          return null;
        }
      }
      return `${nameOf(node)} shop (versions ${lo}..${hi}): ${answer.text.slice(0, 300)}`;
    }

    async function readyCheck(node: TestServer): Promise<string | null> {
      const ready = await readiness(node);
      if (ready.status !== 200 || ready.database !== 'ok' || !['ok', 'down'].includes(ready.redis)) {
        return `${nameOf(node)} readyz: ${JSON.stringify(ready)}`;
      }
      return null;
    }

    const traffic = pilots.map(async (pilot, p) => {
      const random = rng(seed + p);
      for (let k = 0; !stop; k += 1) {
        const node = (k + p) % 2 === 0 ? a : b;
        const at = phase;
        sent += 1;
        let failure: string | null;
        try {
          if (k % 7 === 3) failure = await shopCheck(node);
          else if (k % 11 === 5) failure = await readyCheck(node);
          else failure = await randomStep(node, pilot, random, tradable, prices);
        } catch (error) {
          failure = `${nameOf(node)} request failed: ${String(error)}`;
        }
        answered += 1;
        opsIn[at] += 1;
        if (failure) failures.push(`[${at}] ${failure}`);
      }
    });
    const enoughIn = (at: Phase, count: number) =>
      waitFor(() => failures.length > 0 || opsIn[at] >= count, 20_000);

    try {
      await enoughIn('before', 20);
      // Before the crash B holds the victim's session and both nodes hold shop pages, in Redis.
      expect((await call(b, 'GET', api('/me'), { token: victim.token })).status).toBe(200);
      expect((await call(a, 'GET', api('/me'), { token: victim.token })).status).toBe(200);
      await expectShopPrice(a, edited.price);
      await expectShopPrice(b, edited.price);
      const victimKey = `${prefix}c:*:session:v2:*:${hashToken(victim.token)}`;
      expect((await redisEntries(redis.url, victimKey)).size).toBe(1);

      await redis.kill();
      phase = 'during';
      await waitFor(async () => {
        const [atA, atB] = await Promise.all([readiness(a), readiness(b)]);
        return atA.status === 200 && atA.redis === 'down' && atB.status === 200 && atB.redis === 'down';
      }, 10_000);

      // Writes during the outage go to Postgres and are honoured on the other node at once.
      expect((await call(a, 'POST', api('/auth/logout'), { token: victim.token })).status).toBe(204);
      expect((await call(b, 'GET', api('/me'), { token: victim.token })).status).toBe(401);
      expect((await call(a, 'GET', api('/me'), { token: victim.token })).status).toBe(401);
      const duringPrice = edited.price + 4_321;
      await reprice(a, duringPrice);
      await expectShopPrice(b, duringPrice);
      await expectShopPrice(a, duringPrice);
      await enoughIn('during', 20);

      // Redis comes back from its append-only file, with everything it held at the crash: the victim's
      // session and the pages with the old price are still there (so the checks below can fail).
      phase = 'restarting';
      await redis.restart();
      expect((await redisEntries(redis.url, victimKey)).size).toBe(1);
      const stalePages = [...(await redisEntries(redis.url, `${prefix}c:*:shop:page:*`)).values()].filter(
        (value) => {
          // A cached page is stored as `<etag>\n<body>` (see ShopService.page).
          const text = value ?? '';
          const page = JSON.parse(text.slice(text.indexOf('\n') + 1) || '{}') as { items?: Item[] };
          return page.items?.some((item) => item.id === edited.id && item.price === edited.price);
        },
      );
      expect(stalePages.length).toBeGreaterThan(0);

      // Both nodes reconnect by themselves.
      await waitFor(async () => {
        const [atA, atB] = await Promise.all([readiness(a), readiness(b)]);
        return atA.redis === 'ok' && atB.redis === 'ok';
      }, 20_000);
      phase = 'after';
      for (const node of [b, a, b, a]) {
        expect((await call(node, 'GET', api('/me'), { token: victim.token })).status).toBe(401);
        await expectShopPrice(node, duringPrice);
      }
      // The cache is in use again: a lookup on B lands in the current generation, which A then reads.
      const probe = pilots[0]!.session.token;
      expect((await call(b, 'GET', api('/me'), { token: probe })).status).toBe(200);
      const generation = (await redisEntries(redis.url, `${prefix}cache-gen`)).get(`${prefix}cache-gen`);
      expect(generation).toBeTruthy();
      const live = await redisEntries(redis.url, `${prefix}c:${generation}:session:v2:*:${hashToken(probe)}`);
      expect(live.size).toBe(1);
      // Catalog versions count again: a change on B shows on A at once.
      const afterPrice = duringPrice + 111;
      await reprice(b, afterPrice);
      await expectShopPrice(a, afterPrice);
      await expectShopPrice(b, afterPrice);
      await enoughIn('after', 20);
    } finally {
      stop = true;
      await Promise.all(traffic);
    }

    expect(failures, `seed ${seed}`).toEqual([]);
    expect(answered).toBe(sent);
    expect(opsIn.before).toBeGreaterThanOrEqual(20);
    expect(opsIn.during).toBeGreaterThanOrEqual(20);
    expect(opsIn.after).toBeGreaterThanOrEqual(20);
    for (const pilot of pilots) await expectBooks(pilot);
  });
});
