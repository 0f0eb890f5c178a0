/**
 * What the multi-node suites share: two server nodes on different ports over one Postgres (a database of
 * their own on the shared backend: TEST_DATABASE_URL's Postgres, else the embedded one) and one private redis-server that a suite may kill and restart; pilots
 * with a model of what their state must be, random requests checked against it, and the books.
 */
import { afterAll, beforeAll, expect } from 'vitest';
import { createRedisClient } from '../../src/infra/redis';
import { type Answer, api, books, call, fund, makeAdmin, register, type TestPlayer } from '../helpers/http';
import { createTestDatabase, sharedBackend, startServer, type TestServer } from '../helpers/server';
import { PrivateRedis, uniquePrefix, waitFor } from '../infra/redis-helpers';

export interface Item {
  id: number;
  name: string;
  price: number;
  power: number;
}

/** What a player's state must be, as the test sees it; every answer is checked against it. */
export interface Pilot {
  session: TestPlayer;
  balance: number;
  owned: Set<number>;
}

/** Deterministic PRNG (mulberry32), so a failing sequence can be replayed from its seed. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export function pick<T>(random: () => number, list: readonly T[]): T {
  const value = list[Math.floor(random() * list.length)];
  if (value === undefined) throw new Error('pick from an empty list');
  return value;
}

export const shopPage = (node: TestServer, headers: Record<string, string> = {}) =>
  call<{ items: Item[]; nextCursor: string | null }>(node, 'GET', api('/shop/items?limit=100'), { headers });

export async function catalogOf(node: TestServer): Promise<Item[]> {
  const page = await shopPage(node);
  expect(page.status).toBe(200);
  expect(page.body.nextCursor).toBeNull();
  return page.body.items;
}

export async function readiness(
  node: TestServer,
): Promise<{ status: number; redis: string; database: string }> {
  const answer = await call<{ redis: string; database: string }>(node, 'GET', '/readyz');
  return { status: answer.status, redis: answer.body.redis, database: answer.body.database };
}

/** Keys of the private Redis matching pattern, with their values (SCAN, as on a real Redis). */
export async function redisEntries(url: string, pattern: string): Promise<Map<string, string | null>> {
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

export function describeAnswer(answer: Answer): string {
  return `${answer.status} ${answer.text.slice(0, 300)}`;
}

export interface TwoNodes {
  a: TestServer;
  b: TestServer;
  redis: PrivateRedis;
  database: { url: string; drop(): Promise<void> };
  prefix: string;
}

/** Starts the two nodes before the suite's tests and stops them after (call inside its describe). */
export function twoNodes() {
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

  return {
    /** The nodes and their Redis and database (set once the suite's beforeAll ran). */
    current: (): TwoNodes => ({ a, b, redis, database, prefix }),
    nameOf,
    newPilot,
    newAdmin,
    randomStep,
    expectBooks,
  };
}
