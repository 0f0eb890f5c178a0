// Two server nodes on different ports, sharing one Postgres and one Redis, behave as one server: a write
// on either node (purchase, sale, logout, catalog edit) is seen by the other at once, clients that
// alternate between the ports see one consistent game, and a Redis crash under traffic costs no wrong
// answer, no lost request and no stale entry after Redis comes back. Postgres only.
// The Redis is a private redis-server that this file starts, kills and restarts; the shared one is untouched.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../src/features/auth/auth.service';
import { createRedisClient } from '../src/infra/redis';
import { RedisCache } from '../src/infra/redis-cache';
import { type Answer, api, books, call, fund, makeAdmin, register, type TestPlayer } from './helpers/http';
import { createTestDatabase, sharedBackend, startServer, type TestServer } from './helpers/server';
import { PrivateRedis, RedisRelay, redisServerInstalled, uniquePrefix, waitFor } from './infra/redis-helpers';

interface Item {
  id: number;
  name: string;
  price: number;
  power: number;
}

/** What a player's state must be, as the test sees it; every answer is checked against it. */
interface Pilot {
  session: TestPlayer;
  balance: number;
  owned: Set<number>;
}

/** Deterministic PRNG (mulberry32), so a failing sequence can be replayed from its seed. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function pick<T>(random: () => number, list: readonly T[]): T {
  const value = list[Math.floor(random() * list.length)];
  if (value === undefined) throw new Error('pick from an empty list');
  return value;
}

const shopPage = (node: TestServer, headers: Record<string, string> = {}) =>
  call<{ items: Item[]; nextCursor: string | null }>(node, 'GET', api('/shop/items?limit=100'), { headers });

async function catalogOf(node: TestServer): Promise<Item[]> {
  const page = await shopPage(node);
  expect(page.status).toBe(200);
  expect(page.body.nextCursor).toBeNull();
  return page.body.items;
}

async function readiness(node: TestServer): Promise<{ status: number; redis: string; database: string }> {
  const answer = await call<{ redis: string; database: string }>(node, 'GET', '/readyz');
  return { status: answer.status, redis: answer.body.redis, database: answer.body.database };
}

/** Keys of the private Redis matching pattern, with their values (SCAN, as on a real Redis). */
async function redisEntries(url: string, pattern: string): Promise<Map<string, string | null>> {
  const client = createRedisClient(url);
  try {
    await waitFor(() => client.status === 'ready', 5_000);
    const found = new Map<string, string | null>();
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', pattern, 'COUNT', 1_000);
      cursor = next;
      for (const key of keys) found.set(key, await client.get(key));
    } while (cursor !== '0');
    return found;
  } finally {
    client.disconnect(false);
  }
}

function describeAnswer(answer: Answer): string {
  return `${answer.status} ${answer.text.slice(0, 300)}`;
}

describe.skipIf(!redisServerInstalled)('two nodes, one Postgres, one Redis', () => {
  let redis: PrivateRedis;
  let database: { url: string; drop(): Promise<void> };
  let a: TestServer;
  let b: TestServer;
  const prefix = uniquePrefix();
  const nameOf = (node: TestServer) => (node === a ? 'A' : 'B');

  beforeAll(async () => {
    redis = await PrivateRedis.start();
    database = await createTestDatabase();
    // One after the other: the first applies the migrations and loads the catalog file.
    const options = { databaseUrl: database.url, redisKeyPrefix: prefix };
    a = await startServer(sharedBackend, { REDIS_URL: redis.url }, options);
    b = await startServer(sharedBackend, { REDIS_URL: redis.url }, options);
    await waitFor(async () => (await readiness(a)).redis === 'ok' && (await readiness(b)).redis === 'ok');
  });

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await database?.drop();
    await redis?.destroy();
  });

  async function newPilot(funds: number): Promise<Pilot> {
    const session = await register(a);
    const balance = await fund(a, session.player.id, funds);
    return { session, balance, owned: new Set() };
  }

  async function newAdmin(): Promise<TestPlayer> {
    const boss = await register(a);
    await makeAdmin(a, boss.player.id);
    return boss;
  }

  /**
   * One random request of a pilot on a node, checked against the model (updated on success). Returns a
   * description of what went wrong, or null. `prices` must hold the price of every id in `items` and not
   * change while this runs.
   */
  async function randomStep(
    node: TestServer,
    pilot: Pilot,
    random: () => number,
    items: readonly number[],
    prices: ReadonlyMap<number, number>,
  ): Promise<string | null> {
    const token = pilot.session.token;
    const where = `${nameOf(node)} ${pilot.session.nickname}`;
    const r = random();
    if (r < 0.35) {
      const id = pick(random, items);
      const price = prices.get(id) ?? Number.NaN;
      const answer = await call(node, 'POST', api(`/shop/items/${id}/buy`), { token });
      if (pilot.owned.has(id)) {
        if (answer.status !== 409 || answer.body?.error?.code !== 'ALREADY_OWNED') {
          return `${where} buy ${id} (owned): ${describeAnswer(answer)}`;
        }
      } else if (pilot.balance < price) {
        if (answer.status !== 409 || answer.body?.error?.code !== 'INSUFFICIENT_FUNDS') {
          return `${where} buy ${id} (${price} > ${pilot.balance}): ${describeAnswer(answer)}`;
        }
      } else {
        if (answer.status !== 200 || answer.body.balance !== pilot.balance - price) {
          return `${where} buy ${id} (balance ${pilot.balance}, price ${price}): ${describeAnswer(answer)}`;
        }
        pilot.balance -= price;
        pilot.owned.add(id);
      }
    } else if (r < 0.6) {
      const id =
        pilot.owned.size > 0 && random() < 0.8 ? pick(random, [...pilot.owned]) : pick(random, items);
      const price = prices.get(id) ?? Number.NaN;
      const answer = await call(node, 'POST', api(`/me/items/${id}/sell`), { token });
      if (!pilot.owned.has(id)) {
        if (answer.status !== 409 || answer.body?.error?.code !== 'NOT_OWNED') {
          return `${where} sell ${id} (not owned): ${describeAnswer(answer)}`;
        }
      } else {
        if (
          answer.status !== 200 ||
          answer.body.amount !== price ||
          answer.body.balance !== pilot.balance + price
        ) {
          return `${where} sell ${id} (balance ${pilot.balance}, price ${price}): ${describeAnswer(answer)}`;
        }
        pilot.balance += price;
        pilot.owned.delete(id);
      }
    } else if (r < 0.7) {
      const answer = await call(node, 'GET', api('/me/balance'), { token });
      if (answer.status !== 200 || answer.body.balance !== pilot.balance) {
        return `${where} balance (expected ${pilot.balance}): ${describeAnswer(answer)}`;
      }
    } else if (r < 0.8) {
      const answer = await call(node, 'GET', api('/me'), { token });
      if (
        answer.status !== 200 ||
        answer.body.balance !== pilot.balance ||
        answer.body.itemCount !== pilot.owned.size
      ) {
        return `${where} me (expected ${pilot.balance}, ${pilot.owned.size} items): ${describeAnswer(answer)}`;
      }
    } else if (r < 0.9) {
      const answer = await call(node, 'GET', api('/me/items?limit=100'), { token });
      const expected = [...pilot.owned].sort((x, y) => x - y).join(',');
      const got =
        answer.status === 200
          ? (answer.body.items as Item[])
              .map((item) => item.id)
              .sort((x, y) => x - y)
              .join(',')
          : null;
      if (got !== expected) return `${where} items (expected [${expected}]): ${describeAnswer(answer)}`;
    } else {
      // The newest ledger row always carries the current balance.
      const answer = await call(node, 'GET', api('/me/transactions?limit=1'), { token });
      if (answer.status !== 200 || answer.body.transactions[0]?.balanceAfter !== pilot.balance) {
        return `${where} transactions (expected balanceAfter ${pilot.balance}): ${describeAnswer(answer)}`;
      }
    }
    return null;
  }

  /** The database agrees with the model: balance = Σ ledger = expected, inventory = expected. */
  async function expectBooks(pilot: Pilot): Promise<void> {
    const held = await books(a, pilot.session.player.id);
    expect(held.balance).toBe(held.ledgerSum);
    expect(held.balance).toBe(pilot.balance);
    expect(held.items).toEqual([...pilot.owned].sort((x, y) => x - y));
  }

  it('shows a purchase and a sale made on one node on the other at once', async () => {
    for (const [writer, reader] of [
      [a, b],
      [b, a],
    ] as const) {
      const pilot = await newPilot(1_000_000);
      const token = pilot.session.token;
      // The reader has the session and the catalog page cached before the write.
      const before = await call(reader, 'GET', api('/me'), { token });
      expect(before.status).toBe(200);
      expect(before.body.balance).toBe(pilot.balance);
      const item = (await catalogOf(reader))[3];
      if (!item) throw new Error('catalog too small');

      const bought = await call(writer, 'POST', api(`/shop/items/${item.id}/buy`), { token });
      expect(bought.status, bought.text).toBe(200);
      expect(bought.body.balance).toBe(pilot.balance - item.price);
      expect((await call(reader, 'GET', api('/me/balance'), { token })).body.balance).toBe(
        bought.body.balance,
      );
      const me = await call(reader, 'GET', api('/me'), { token });
      expect(me.body).toMatchObject({
        balance: bought.body.balance,
        itemCount: before.body.itemCount + 1,
        power: before.body.power + item.power,
      });
      const owned = await call(reader, 'GET', api('/me/items'), { token });
      expect(owned.body.items.map((i: Item) => i.id)).toEqual([item.id]);
      const ledger = await call(reader, 'GET', api('/me/transactions?limit=1'), { token });
      expect(ledger.body.transactions[0]).toMatchObject({
        id: bought.body.transactionId,
        type: 'purchase',
        amount: -item.price,
        balanceAfter: bought.body.balance,
        itemId: item.id,
      });
      // The reader refuses a second purchase of what the writer sold it.
      const again = await call(reader, 'POST', api(`/shop/items/${item.id}/buy`), { token });
      expect(again.body.error?.code).toBe('ALREADY_OWNED');

      const sold = await call(writer, 'POST', api(`/me/items/${item.id}/sell`), { token });
      expect(sold.status, sold.text).toBe(200);
      expect(sold.body.balance).toBe(pilot.balance);
      expect((await call(reader, 'GET', api('/me/balance'), { token })).body.balance).toBe(pilot.balance);
      expect((await call(reader, 'GET', api('/me'), { token })).body).toMatchObject({
        balance: pilot.balance,
        itemCount: before.body.itemCount,
      });
      expect((await call(reader, 'GET', api('/me/items'), { token })).body.items).toEqual([]);
      const afterSale = await call(reader, 'GET', api('/me/transactions?limit=1'), { token });
      expect(afterSale.body.transactions[0]).toMatchObject({
        id: sold.body.transactionId,
        type: 'sale',
        amount: item.price,
        balanceAfter: pilot.balance,
      });
      const resold = await call(reader, 'POST', api(`/me/items/${item.id}/sell`), { token });
      expect(resold.body.error?.code).toBe('NOT_OWNED');
      await expectBooks(pilot);
    }
  });

  it('shows catalog edits made on one node on the other at once, with a new ETag', async () => {
    const boss = await newAdmin();
    for (const [writer, reader] of [
      [a, b],
      [b, a],
    ] as const) {
      // Warm the reader's cached page (the second read is a hit) and check its ETag works.
      const first = await shopPage(reader);
      const cached = await shopPage(reader);
      const etag = cached.headers.get('etag') ?? '';
      expect(etag).toBe(first.headers.get('etag'));
      expect((await shopPage(reader, { 'if-none-match': etag })).status).toBe(304);
      const target = cached.body.items[1];
      if (!target) throw new Error('catalog too small');

      const price = target.price + 1 + Math.floor(Math.random() * 1_000);
      const patched = await call(writer, 'PATCH', api(`/admin/items/${target.id}`), {
        token: boss.token,
        body: { price },
      });
      expect(patched.status, patched.text).toBe(200);
      const fresh = await shopPage(reader, { 'if-none-match': etag });
      expect(fresh.status).toBe(200);
      expect(fresh.headers.get('etag')).not.toBe(etag);
      expect(fresh.body.items.find((i) => i.id === target.id)?.price).toBe(price);
      expect((await call(reader, 'GET', api(`/shop/items/${target.id}`))).body.price).toBe(price);

      const name = `Multi-node probe ${nameOf(writer)} ${Math.random().toString(36).slice(2, 8)}`;
      const created = await call(writer, 'POST', api('/admin/items'), {
        token: boss.token,
        body: { name, price: 12_345, power: 7 },
      });
      expect(created.status, created.text).toBe(201);
      const id: number = created.body.item.id;
      expect((await catalogOf(reader)).find((i) => i.id === id)).toEqual({
        id,
        name,
        price: 12_345,
        power: 7,
      });
      expect((await call(writer, 'DELETE', api(`/admin/items/${id}`), { token: boss.token })).status).toBe(
        204,
      );
      expect((await catalogOf(reader)).some((i) => i.id === id)).toBe(false);
      expect((await call(reader, 'GET', api(`/shop/items/${id}`))).status).toBe(404);
    }
  });

  it('rejects a token on the other node as soon as logout answers', async () => {
    for (const [writer, reader] of [
      [a, b],
      [b, a],
    ] as const) {
      const pilot = await register(reader);
      expect((await call(reader, 'GET', api('/me'), { token: pilot.token })).status).toBe(200);
      // The session is now in the shared cache: the logout has to remove it, not just the database row.
      const cachedSessions = await redisEntries(
        redis.url,
        `${prefix}c:*:session:v2:*:${hashToken(pilot.token)}`,
      );
      expect(cachedSessions.size).toBe(1);
      expect((await call(writer, 'GET', api('/me'), { token: pilot.token })).status).toBe(200);

      expect((await call(writer, 'POST', api('/auth/logout'), { token: pilot.token })).status).toBe(204);
      expect((await call(reader, 'GET', api('/me'), { token: pilot.token })).status).toBe(401);
      expect((await call(writer, 'GET', api('/me'), { token: pilot.token })).status).toBe(401);
      expect((await call(reader, 'GET', api('/me/balance'), { token: pilot.token })).status).toBe(401);
    }
  });

  it('rejects a token everywhere after logout even while the other node is looking it up', async () => {
    // The other node's first lookups of the token (cache miss → database → cache fill) race the logout;
    // a fill that read the session before the revocation must not outlive the logout's answer.
    for (let round = 0; round < 12; round += 1) {
      const [writer, reader] = round % 2 === 0 ? [a, b] : [b, a];
      const pilot = await register(writer);
      const token = pilot.token;
      let loggedOutAt = Number.POSITIVE_INFINITY;
      const late: string[] = [];
      const lookups = Array.from({ length: 8 }, async (_, i) => {
        for (let k = 0; k < 4; k += 1) {
          const startedAt = performance.now();
          const answer = await call(reader, 'GET', api('/me'), { token });
          if (answer.status >= 500) late.push(`lookup ${i}.${k}: ${describeAnswer(answer)}`);
          if (startedAt > loggedOutAt && answer.status !== 401)
            late.push(`lookup ${i}.${k} after logout: ${answer.status}`);
        }
      });
      const out = await call(writer, 'POST', api('/auth/logout'), { token });
      expect(out.status).toBe(204);
      loggedOutAt = performance.now();
      await Promise.all(lookups);
      expect(late).toEqual([]);
      expect((await call(reader, 'GET', api('/me'), { token })).status).toBe(401);
      expect((await call(writer, 'GET', api('/me'), { token })).status).toBe(401);
    }
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
    const pages = await redisEntries(redis.url, `${prefix}c:${generation}:shop:page:v3:${version}:en:100:0:`);
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

  it('behaves as one server for clients alternating between the two ports', async () => {
    const seed = Date.now() >>> 0;
    const catalog = await catalogOf(a);
    const prices = new Map(catalog.map((item) => [item.id, item.price]));
    const ids = catalog.map((item) => item.id);
    const pilots = await Promise.all([0, 1, 2, 3].map(() => newPilot(400_000)));
    const failures: string[] = [];
    let answered = 0;
    await Promise.all(
      pilots.map(async (pilot, p) => {
        const random = rng(seed + p);
        for (let k = 0; k < 15; k += 1) {
          const node = (k + p) % 2 === 0 ? a : b;
          const failure = await randomStep(node, pilot, random, ids, prices);
          answered += 1;
          if (failure) failures.push(failure);
        }
      }),
    );
    expect(failures, `seed ${seed}`).toEqual([]);
    expect(answered).toBe(60);
    for (const pilot of pilots) await expectBooks(pilot);
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
