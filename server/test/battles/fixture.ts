/**
 * What every battles suite shares: a server per backend (no login bonus, so a pilot holds exactly what it
 * is funded with), a side connection to hold rows and age battles, pilots online on a WebSocket, and the
 * money audit.
 */
import type { Battle } from '@metagameplay/protocol';
import type pg from 'pg';
import { afterAll, beforeAll, expect } from 'vitest';
import { auditMoney } from '../../src/features/wallet/wallet.audit';
import { api, books, call, fund, register, type TestPlayer } from '../helpers/http';
import { sideConnection } from '../helpers/locks';
import { type Backend, startServer, type TestServer } from '../helpers/server';
import { WsClient } from '../helpers/ws';

export function battleFixture(backend: Backend) {
  let server: TestServer;
  let side: pg.Client;
  const sockets: WsClient[] = [];

  beforeAll(async () => {
    // No login bonus: every pilot starts with exactly what the test funds it with.
    server = await startServer(backend, {
      MONEY_MOVES_IN_FLIGHT_MAX: '50',
      LOGIN_BONUS_MIN: '0',
      LOGIN_BONUS_MAX: '0',
    });
    side = await sideConnection(server);
  });
  afterAll(async () => {
    for (const socket of sockets) socket.socket.close();
    await side?.end();
    await server?.close();
  });

  /** A registered pilot with `credits` units, online (a socket open) unless told. */
  async function pilot(units = 100_000, online = true): Promise<TestPlayer & { ws: WsClient | null }> {
    const player = await register(server);
    if (units > 0) await fund(server, player.player.id, units);
    const ws = online ? await WsClient.connect(server.url, player.token) : null;
    if (ws) sockets.push(ws);
    return { ...player, ws };
  }

  const post = (who: TestPlayer, path: string, body?: unknown, headers?: Record<string, string>) =>
    call(server, 'POST', api(path), { token: who.token, body, headers });

  async function challenge(a: TestPlayer, b: TestPlayer, stake: number, extra: Record<string, unknown> = {}) {
    const answer = await post(a, '/battles', { opponentId: b.player.id, stake, ...extra });
    expect(answer.status, answer.text).toBe(201);
    return answer.body.battle as Battle;
  }

  /** Rows of a query on the side connection (outside any transaction it holds open). */
  const sql = async <R extends object>(text: string, values: unknown[]): Promise<R[]> =>
    (await side.query<R & pg.QueryResultRow>(text, values)).rows;

  /** The money audit finds nothing (its findings are the failure message). */
  const expectBooksBalanced = async () => {
    const findings = await auditMoney(server.ctx.database);
    expect(findings, JSON.stringify(findings, null, 1)).toEqual([]);
  };

  const balanceOf = async (who: TestPlayer) => (await books(server, who.player.id)).balance;

  return {
    get server(): TestServer {
      return server;
    },
    get side(): pg.Client {
      return side;
    },
    sockets,
    pilot,
    post,
    challenge,
    sql,
    expectBooksBalanced,
    balanceOf,
  };
}
