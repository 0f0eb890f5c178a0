/**
 * A single server process SIGKILLed with a challenge pending (its challenger's stake in escrow): when a
 * server starts again on the same database, the overdue challenge is expired and the stake refunded —
 * the sweep runs at start-up, not only on a live node's timer. Postgres only (two real processes).
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditMoney } from '../src/features/wallet/wallet.audit';
import { createPostgresDatabase, type Database } from '../src/db/client';
import { api, call, register } from './helpers/http';
import { startServerNode, waitFor } from './helpers/process';
import { createTestDatabase } from './helpers/server';
import { WsClient } from './helpers/ws';

describe('battles after a crash', () => {
  let database: { url: string; drop(): Promise<void> };
  let side: pg.Client;
  let db: Database;
  beforeAll(async () => {
    database = await createTestDatabase();
    side = new pg.Client({ connectionString: database.url });
    db = createPostgresDatabase(database.url, { poolSize: 2 });
  });
  afterAll(async () => {
    await side?.end();
    await db?.close();
    await database?.drop();
  });

  it('refunds the challenges a SIGKILLed node left pending once a server starts again', async () => {
    const first = await startServerNode({ DATABASE_URL: database.url });
    const node = { url: first.url } as Parameters<typeof register>[0];
    const a = await register(node);
    const b = await register(node);
    const socket = await WsClient.connect(first.url, b.token);
    const created = await call(node, 'POST', api('/battles'), {
      token: a.token,
      body: { opponentId: b.player.id, stake: a.loginBonus },
    });
    expect(created.status, created.text).toBe(201);
    first.child.kill('SIGKILL');
    await first.exited;
    socket.socket.terminate();

    await side.connect();
    const balance = async () =>
      Number((await side.query('SELECT balance FROM players WHERE id = $1', [a.player.id])).rows[0]?.balance);
    expect(await balance()).toBe(0);
    // Its time is up while no server runs.
    await side.query("UPDATE battles SET expires_at = now() - interval '1 second'");

    const second = await startServerNode({ DATABASE_URL: database.url });
    try {
      await waitFor(async () => (await balance()) === a.loginBonus, 10_000, 'the refund');
      const { rows } = await side.query('SELECT status FROM battles WHERE id = $1', [created.body.battle.id]);
      expect(rows[0]?.status).toBe('expired');
      expect(await auditMoney(db)).toEqual([]);
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
    }
  }, 240_000);
});
