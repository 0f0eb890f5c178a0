/**
 * What the market suites share: two server nodes over one database (no login bonus, so a pilot holds
 * exactly what it is funded with), a side connection to hold listing rows and age listings, pilots that
 * own catalog items, and the money audit.
 */
import type { Listing, ShopItem } from '@metagameplay/protocol';
import type pg from 'pg';
import { afterAll, beforeAll, expect } from 'vitest';
import { auditMoney } from '../../src/features/wallet/wallet.audit';
import { api, books, call, fund, register, type TestPlayer } from '../helpers/http';
import { sideConnection } from '../helpers/locks';
import { type Backend, startServer, type TestServer } from '../helpers/server';

const ENV = {
  MONEY_MOVES_IN_FLIGHT_MAX: '50',
  LOGIN_BONUS_MIN: '0',
  LOGIN_BONUS_MAX: '0',
  MARKET_FEE_PERCENT: '5',
  // The sweep runs when a test calls it, not on a timer.
  MARKET_SWEEP_INTERVAL_MS: '3600000',
  LOG_LEVEL: process.env.MARKET_TEST_LOG ?? 'silent',
};

export function marketFixture(backend: Backend) {
  let node: TestServer;
  let other: TestServer;
  let side: pg.Client;
  let catalog: ShopItem[] = [];

  beforeAll(async () => {
    node = await startServer(backend, ENV);
    other = await startServer(backend, ENV, { databaseUrl: node.databaseUrl ?? '' });
    side = await sideConnection(node);
    const reader = await register(node);
    const page = await call<{ items: ShopItem[] }>(node, 'GET', api('/shop/items?limit=100'), {
      token: reader.token,
    });
    expect(page.status, page.text).toBe(200);
    catalog = page.body.items;
  });
  afterAll(async () => {
    await side?.end();
    await other?.close();
    await node?.close();
  });

  /** A registered pilot with `units`, owning the given catalog items (bought in the shop). */
  async function pilot(units = 1_000_000, owns: number[] = []): Promise<TestPlayer> {
    const player = await register(node);
    const cost = owns.reduce((sum, id) => sum + (catalog.find((i) => i.id === id)?.price ?? 0), 0);
    if (units + cost > 0) await fund(node, player.player.id, units + cost);
    for (const id of owns) {
      const bought = await call(node, 'POST', api(`/shop/items/${id}/buy`), { token: player.token });
      expect(bought.status, bought.text).toBe(200);
    }
    return player;
  }

  const request = (
    method: string,
    who: TestPlayer,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
    on: TestServer = node,
  ) => call(on, method, api(path), { token: who.token, body, headers });

  async function list(who: TestPlayer, itemId: number, price: number): Promise<Listing> {
    const answer = await request('POST', who, '/market/listings', { itemId, price });
    expect(answer.status, answer.text).toBe(201);
    return answer.body.listing as Listing;
  }

  const sql = async <R extends object>(text: string, values: unknown[]): Promise<R[]> =>
    (await side.query<R & pg.QueryResultRow>(text, values)).rows;

  const expectBooksBalanced = async () => {
    const findings = await auditMoney(node.ctx.database);
    expect(findings, JSON.stringify(findings, null, 1)).toEqual([]);
  };

  const balanceOf = async (who: TestPlayer) => (await books(node, who.player.id)).balance;
  const itemsOf = async (who: TestPlayer) => (await books(node, who.player.id)).items;

  return {
    get node(): TestServer {
      return node;
    },
    get other(): TestServer {
      return other;
    },
    get side(): pg.Client {
      return side;
    },
    get catalog(): ShopItem[] {
      return catalog;
    },
    pilot,
    request,
    list,
    sql,
    expectBooksBalanced,
    balanceOf,
    itemsOf,
  };
}
