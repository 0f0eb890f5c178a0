/** A small HTTP driver for tests: JSON in and out, bearer tokens, fresh players. */
import { randomBytes } from 'node:crypto';
import type { PrivatePlayer, SessionResponse } from '@metagameplay/protocol';
import { sql } from 'drizzle-orm';
import { rowsOf } from '../../src/db/client';
import type { TestServer } from './server';

export interface Answer<T = any> {
  status: number;
  body: T;
  headers: Headers;
  text: string;
}

export interface RequestOptions {
  token?: string;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
}

export async function call<T = any>(
  server: TestServer,
  method: string,
  path: string,
  options: RequestOptions = {},
): Promise<Answer<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.rawBody !== undefined) body = options.rawBody;
  else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const response = await fetch(`${server.url}${path}`, { method, headers, body });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = text;
  }
  return { status: response.status, body: parsed as T, headers: response.headers, text };
}

export const api = (path: string) => `/api/v1${path}`;

export function uniqueNickname(prefix = 'pilot'): string {
  return `${prefix}_${randomBytes(5).toString('hex')}`;
}

export interface TestPlayer {
  token: string;
  player: PrivatePlayer;
  nickname: string;
  password: string;
  loginBonus: number;
}

export async function register(server: TestServer, nickname = uniqueNickname()): Promise<TestPlayer> {
  const password = 'correct horse battery';
  const answer = await call<SessionResponse>(server, 'POST', api('/auth/register'), {
    body: { nickname, password },
  });
  if (answer.status !== 201) throw new Error(`register failed: ${answer.status} ${answer.text}`);
  return {
    token: answer.body.token,
    player: answer.body.player,
    nickname,
    password,
    loginBonus: answer.body.loginBonus,
  };
}

/** Credits a player through the wallet's grant (so the ledger stays whole). */
export async function fund(server: TestServer, playerId: string, units: number): Promise<number> {
  const moved = await server.ctx.services.wallet.grant(playerId, playerId, units, 'test', undefined);
  if (moved.statusCode !== 200) throw new Error(`fund failed: ${moved.body}`);
  return (JSON.parse(moved.body) as { balance: number }).balance;
}

export async function makeAdmin(server: TestServer, playerId: string): Promise<void> {
  await server.ctx.database.db.execute(sql`UPDATE players SET role = 'admin' WHERE id = ${playerId}`);
}

/** balance, Σ ledger and the inventory of a player, read straight from the database. */
export async function books(
  server: TestServer,
  playerId: string,
): Promise<{ balance: number; ledgerSum: number; ledgerRows: number; items: number[] }> {
  const db = server.ctx.database.db;
  const [row] = rowsOf<{
    balance: string | number;
    ledger_sum: string | number;
    ledger_rows: string | number;
  }>(
    await db.execute(sql`SELECT p.balance, COALESCE((SELECT SUM(amount) FROM ledger WHERE player_id = p.id), 0) AS ledger_sum,
                         (SELECT COUNT(*) FROM ledger WHERE player_id = p.id) AS ledger_rows
                         FROM players p WHERE p.id = ${playerId}`),
  );
  const items = rowsOf<{ item_id: number }>(
    await db.execute(sql`SELECT item_id FROM inventory WHERE player_id = ${playerId} ORDER BY item_id`),
  ).map((r) => r.item_id);
  return {
    balance: Number(row?.balance),
    ledgerSum: Number(row?.ledger_sum),
    ledgerRows: Number(row?.ledger_rows),
    items,
  };
}
