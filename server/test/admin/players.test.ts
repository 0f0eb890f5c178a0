/**
 * The operator's console, players part (API.md "The operator's console"), on one node: who may call it,
 * search, reads, deductions (with the grant's audit entry, idempotent replays, a race on the row lock),
 * ban / unban rules, a temporary ban's end, export, delete (the tombstone, the freed name, the books) and
 * the audit log with its export.
 */
import type { ShopItem } from '@metagameplay/protocol';
import { sql } from 'drizzle-orm';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../src/db/client';
import { auditMoney } from '../../src/features/wallet/wallet.audit';
import {
  api,
  books,
  call,
  fund,
  makeAdmin,
  register,
  type TestPlayer,
  uniqueNickname,
} from '../helpers/http';
import { sideConnection, waitForLockWaiters } from '../helpers/locks';
import { sharedBackend, startServer, type TestServer } from '../helpers/server';
import { WsClient } from '../helpers/ws';

const ENV = {
  LOGIN_BONUS_MIN: '0',
  LOGIN_BONUS_MAX: '0',
  MONEY_MOVES_IN_FLIGHT_MAX: '50',
  BATTLE_SWEEP_INTERVAL_MS: '3600000',
  MARKET_SWEEP_INTERVAL_MS: '3600000',
};

describe('admin console: players', () => {
  let server: TestServer;
  let side: pg.Client;
  let admin: TestPlayer;
  let catalog: ShopItem[];

  beforeAll(async () => {
    server = await startServer(sharedBackend, ENV);
    side = await sideConnection(server);
    admin = await register(server, uniqueNickname('boss'));
    await makeAdmin(server, admin.player.id);
    catalog = (await call(server, 'GET', api('/shop/items?limit=100'))).body.items;
  });
  afterAll(async () => {
    await side?.end();
    await server?.close();
  });

  const as = (
    who: TestPlayer | undefined,
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ) => call(server, method, api(path), { token: who?.token, body, headers });
  const auditRows = async (playerId: string) =>
    rowsOf<{ admin_id: string; action: string; reason: string; details: Record<string, unknown> }>(
      await server.ctx.database.db.execute(
        sql`SELECT admin_id, action, reason, details FROM admin_audit_log WHERE player_id = ${playerId} ORDER BY id`,
      ),
    );
  const ledgerRows = async (playerId: string, type: string) =>
    rowsOf<{ amount: number; note: string | null }>(
      await server.ctx.database.db.execute(
        sql`SELECT amount, note FROM ledger WHERE player_id = ${playerId} AND type = ${type} ORDER BY id`,
      ),
    );
  async function pilot(units = 0, nickname = uniqueNickname()): Promise<TestPlayer> {
    const p = await register(server, nickname);
    if (units > 0) await fund(server, p.player.id, units);
    return p;
  }

  it('answers 401 without a token and 403 to a player on every endpoint, with no-store', async () => {
    const target = await pilot();
    const id = target.player.id;
    const endpoints: [string, string, unknown?][] = [
      ['GET', '/admin/players'],
      ['GET', `/admin/players/${id}`],
      ['GET', `/admin/players/${id}/transactions`],
      ['GET', `/admin/players/${id}/battles`],
      ['POST', `/admin/players/${id}/deductions`, { amount: 1, reason: 'x' }],
      ['POST', `/admin/players/${id}/ban`, { reason: 'x' }],
      ['POST', `/admin/players/${id}/unban`, { reason: 'x' }],
      ['POST', `/admin/players/${id}/export`, { reason: 'x' }],
      ['POST', `/admin/players/${id}/delete`, { reason: 'x' }],
      ['GET', '/admin/audit-log'],
      ['GET', '/admin/audit-log/export'],
    ];
    for (const [method, path, body] of endpoints) {
      const anonymous = await as(undefined, method, path, body);
      expect(anonymous.status, `${method} ${path}`).toBe(401);
      const player = await as(target, method, path, body);
      expect(player.status, `${method} ${path}`).toBe(403);
      expect(player.body.error.code).toBe('FORBIDDEN');
      const boss = await as(admin, method, path, method === 'POST' ? { bad: 1 } : undefined);
      expect(boss.headers.get('cache-control'), `${method} ${path}`).toBe('no-store');
    }
    // Nothing happened to the target.
    expect(await auditRows(id)).toEqual([]);
  });

  it('answers 404 for an unknown player and 400 for bad bodies and queries', async () => {
    const ghost = '00000000-0000-4000-8000-000000000000';
    for (const [method, path, body] of [
      ['GET', `/admin/players/${ghost}`],
      ['GET', `/admin/players/${ghost}/transactions`],
      ['GET', `/admin/players/${ghost}/battles`],
      ['POST', `/admin/players/${ghost}/deductions`, { amount: 1, reason: 'x' }],
      ['POST', `/admin/players/${ghost}/ban`, { reason: 'x' }],
      ['POST', `/admin/players/${ghost}/unban`, { reason: 'x' }],
      ['POST', `/admin/players/${ghost}/export`, { reason: 'x' }],
      ['POST', `/admin/players/${ghost}/delete`, { reason: 'x' }],
    ] as [string, string, unknown?][]) {
      const answer = await as(admin, method, path, body);
      expect(answer.status, `${method} ${path}`).toBe(404);
      expect(answer.body.error.code).toBe('PLAYER_NOT_FOUND');
    }
    const id = (await pilot(100)).player.id;
    const bad: [string, string, unknown?][] = [
      ['POST', `/admin/players/${id}/deductions`, { amount: 0, reason: 'x' }],
      ['POST', `/admin/players/${id}/deductions`, { amount: 1.5, reason: 'x' }],
      ['POST', `/admin/players/${id}/deductions`, { amount: 1 }],
      ['POST', `/admin/players/${id}/deductions`, { amount: 1, reason: '' }],
      ['POST', `/admin/players/${id}/deductions`, { amount: 1, reason: 'x'.repeat(501) }],
      ['POST', `/admin/players/${id}/deductions`, { amount: 1, reason: 'x', extra: true }],
      ['POST', `/admin/players/${id}/ban`, {}],
      ['POST', `/admin/players/${id}/ban`, { reason: 'x', until: 'tomorrow' }],
      ['POST', `/admin/players/${id}/ban`, { reason: 'x', until: new Date(Date.now() - 1000).toISOString() }],
      ['POST', `/admin/players/${id}/unban`, {}],
      ['POST', `/admin/players/${id}/export`, { reason: 'x'.repeat(501) }],
      ['POST', `/admin/players/${id}/delete`, {}],
      ['POST', '/admin/players/not-a-uuid/ban', { reason: 'x' }],
      ['GET', '/admin/players?limit=0'],
      ['GET', '/admin/players?cursor=garbage'],
      ['GET', '/admin/audit-log?action=steal'],
      ['GET', '/admin/audit-log?playerId=nope'],
      ['GET', '/admin/audit-log/export?format=xml'],
    ];
    for (const [method, path, body] of bad) {
      const answer = await as(admin, method, path, body);
      expect(answer.status, `${method} ${path} ${JSON.stringify(body)}`).toBe(400);
      expect(answer.body.error.code).toBe('VALIDATION_ERROR');
    }
    expect((await books(server, id)).balance).toBe(100);
    expect((await auditRows(id)).filter((row) => row.admin_id === admin.player.id)).toEqual([]);
    // A reason of 500 characters is fine.
    expect(
      (await as(admin, 'POST', `/admin/players/${id}/deductions`, { amount: 1, reason: 'y'.repeat(500) }))
        .status,
    ).toBe(200);
  });

  it('finds players by id, by nickname prefix (case and confusables), newest first without q, by index', async () => {
    const tag = uniqueNickname('Paul').slice(5); // random hex
    const paul = await pilot(0, `paul${tag}`);
    const pauline = await pilot(0, `PAULINE${tag}`);
    await pilot(0, `peter${tag}`);
    const byPrefix = await as(admin, 'GET', '/admin/players?q=PAUL');
    expect(byPrefix.status).toBe(200);
    const ids = (byPrefix.body.players as { id: string }[]).map((p) => p.id);
    expect(ids).toEqual(expect.arrayContaining([paul.player.id, pauline.player.id]));
    // Cyrillic р and а: the skeleton of "раul" is the skeleton of "paul".
    const confusable = await as(
      admin,
      'GET',
      `/admin/players?q=${encodeURIComponent('раul')}${tag.slice(0, 3)}`,
    );
    expect((confusable.body.players as { id: string }[]).map((p) => p.id)).toContain(paul.player.id);
    // Pages by keyset, without repeats.
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: { players: { id: string }[]; nextCursor: string | null } } =
        await as(admin, 'GET', `/admin/players?q=pa&limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      seen.push(...page.body.players.map((p) => p.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(expect.arrayContaining([paul.player.id, pauline.player.id]));

    const byId = await as(admin, 'GET', `/admin/players?q=${paul.player.id}`);
    expect(byId.body.players).toEqual([
      expect.objectContaining({ id: paul.player.id, nickname: paul.nickname, banned: null, deletedAt: null }),
    ]);
    const newest = await as(admin, 'GET', '/admin/players?limit=2');
    expect((newest.body.players as { id: string }[]).map((p) => p.id)).toEqual([
      expect.any(String),
      expect.any(String),
    ]);
    const second = await as(admin, 'GET', `/admin/players?limit=2&cursor=${newest.body.nextCursor}`);
    expect(second.status).toBe(200);
    expect(Date.parse(second.body.players[0].createdAt)).toBeLessThanOrEqual(
      Date.parse(newest.body.players[1].createdAt),
    );

    // The plans read index ranges (enable_seqscan off: a small table would be scanned whole anyway; for the
    // newest page also enable_bitmapscan, which a small table prefers to reading the index in order).
    const plan = async (text: string, orderedScan = false) => {
      await side.query('BEGIN');
      try {
        await side.query('SET LOCAL enable_seqscan = off');
        if (orderedScan) await side.query('SET LOCAL enable_bitmapscan = off');
        return (await side.query(`EXPLAIN ${text}`)).rows
          .map((r: { 'QUERY PLAN': string }) => r['QUERY PLAN'])
          .join('\n');
      } finally {
        await side.query('ROLLBACK');
      }
    };
    const search =
      await plan(`SELECT * FROM players WHERE ((nickname_key ~>=~ 'pa' AND nickname_key ~<~ 'pa\u{10FFFF}')
      OR (nickname_skeleton ~>=~ 'pa' AND nickname_skeleton ~<~ 'pa\u{10FFFF}')) AND deleted_at IS NULL
      ORDER BY nickname_key COLLATE "C" LIMIT 21`);
    expect(search).toContain('players_nickname_key_prefix_idx');
    expect(search).toContain('players_nickname_skeleton_prefix_idx');
    const recent = await plan(
      `SELECT * FROM players WHERE deleted_at IS NULL
      AND (created_at, id) < (now(), '${paul.player.id}'::uuid) ORDER BY created_at DESC NULLS LAST, id DESC NULLS LAST LIMIT 21`,
      true,
    );
    expect(recent).toContain('players_created_at_idx');
    expect(recent).not.toContain('Sort');
  });

  it('shows a player with sessions, items and listings; its transactions and battles', async () => {
    const item = catalog[0] as ShopItem;
    const p = await pilot(item.price + 500);
    expect((await as(p, 'POST', `/shop/items/${item.id}/buy`)).status).toBe(200);
    const detail = await as(admin, 'GET', `/admin/players/${p.player.id}`);
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({
      player: {
        id: p.player.id,
        balance: 500,
        itemCount: 1,
        power: item.power,
        banned: null,
        deletedAt: null,
      },
      sessions: { active: 1, total: 1 },
      items: [expect.objectContaining({ id: item.id })],
      listings: [],
    });
    const history = await as(admin, 'GET', `/admin/players/${p.player.id}/transactions?limit=1`);
    expect(history.body.transactions[0]).toMatchObject({ type: 'purchase', amount: -item.price });
    expect(history.body.nextCursor).toEqual(expect.any(String));
    const battles = await as(admin, 'GET', `/admin/players/${p.player.id}/battles`);
    expect(battles.body).toEqual({ battles: [], nextCursor: null });
  });

  it('grant and deduct: one ledger row and one audit entry each, also when replayed; never below 0', async () => {
    const p = await pilot();
    const id = p.player.id;
    const grant = { amount: 1_000, reason: 'compensation, "outage"' };
    const key = { 'idempotency-key': `grant-${id}` };
    const first = await as(admin, 'POST', `/admin/players/${id}/credits`, grant, key);
    const again = await as(admin, 'POST', `/admin/players/${id}/credits`, grant, key);
    expect(first.status).toBe(200);
    expect(again.text).toBe(first.text);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const deductKey = { 'idempotency-key': `deduct-${id}` };
    const deduct = await as(
      admin,
      'POST',
      `/admin/players/${id}/deductions`,
      { amount: 400, reason: 'chargeback' },
      deductKey,
    );
    const replay = await as(
      admin,
      'POST',
      `/admin/players/${id}/deductions`,
      { amount: 400, reason: 'chargeback' },
      deductKey,
    );
    expect(deduct.status, deduct.text).toBe(200);
    expect(deduct.body).toEqual({ balance: 600, transactionId: expect.any(String) });
    expect(replay.text).toBe(deduct.text);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(await ledgerRows(id, 'admin_grant')).toEqual([{ amount: 1_000, note: grant.reason }]);
    expect(await ledgerRows(id, 'admin_deduct')).toEqual([{ amount: -400, note: 'chargeback' }]);
    expect(await auditRows(id)).toEqual([
      {
        admin_id: admin.player.id,
        action: 'grant',
        reason: grant.reason,
        details: { amount: 1_000, transactionId: first.body.transactionId, balance: 1_000 },
      },
      {
        admin_id: admin.player.id,
        action: 'deduct',
        reason: 'chargeback',
        details: { amount: 400, transactionId: deduct.body.transactionId, balance: 600 },
      },
    ]);

    // One over the balance is refused with the facts; exactly the balance goes to 0.
    const over = await as(admin, 'POST', `/admin/players/${id}/deductions`, {
      amount: 601,
      reason: 'too much',
    });
    expect(over.status).toBe(409);
    expect(over.body.error).toMatchObject({
      code: 'INSUFFICIENT_FUNDS',
      details: { balance: 600, required: 601 },
    });
    const all = await as(admin, 'POST', `/admin/players/${id}/deductions`, {
      amount: 600,
      reason: 'all of it',
    });
    expect(all.body.balance).toBe(0);
    const held = await books(server, id);
    expect(held).toMatchObject({ balance: 0, ledgerSum: 0 });
    expect((await auditRows(id)).map((r) => r.action)).toEqual(['grant', 'deduct', 'deduct']);
    expect(await auditMoney(server.ctx.database)).toEqual([]);
  });

  it('a deduction waits for a purchase holding the row lock and is refused by what the purchase left', async () => {
    const item = catalog.find((i) => i.price >= 1_000) as ShopItem;
    for (const commit of [true, false]) {
      const p = await pilot(item.price + 300);
      // The purchase runs in the side connection's open transaction: it holds the player's row lock.
      await side.query('BEGIN');
      const bought = await side.query(`SELECT o_status FROM mg_shop_buy($1, $2, NULL, 100, NULL, '', NULL)`, [
        p.player.id,
        item.id,
      ]);
      expect(bought.rows[0].o_status).toBe(200);
      const deduct = as(admin, 'POST', `/admin/players/${p.player.id}/deductions`, {
        amount: 500,
        reason: 'race',
      });
      await waitForLockWaiters(side, 1);
      await side.query(commit ? 'COMMIT' : 'ROLLBACK');
      const answer = await deduct;
      if (commit) {
        // 300 left after the purchase: 500 is refused, and the purchase stands.
        expect(answer.status, answer.text).toBe(409);
        expect(answer.body.error.details).toEqual({ balance: 300, required: 500 });
        expect(await books(server, p.player.id)).toMatchObject({
          balance: 300,
          ledgerSum: 300,
          items: [item.id],
        });
      } else {
        expect(answer.status, answer.text).toBe(200);
        expect(await books(server, p.player.id)).toMatchObject({ balance: item.price - 200, items: [] });
      }
    }
    expect(await auditMoney(server.ctx.database)).toEqual([]);
  });

  it('ban rules: an admin cannot be banned, a ban is replaced, unban of a player not banned is a 409', async () => {
    const other = await register(server);
    await makeAdmin(server, other.player.id);
    for (const action of ['ban', 'delete']) {
      const answer = await as(admin, 'POST', `/admin/players/${other.player.id}/${action}`, { reason: 'no' });
      expect(answer.status).toBe(409);
      expect(answer.body.error.code).toBe('TARGET_IS_ADMIN');
    }
    const p = await pilot();
    const notBanned = await as(admin, 'POST', `/admin/players/${p.player.id}/unban`, { reason: 'x' });
    expect(notBanned.status).toBe(409);
    expect(notBanned.body.error.code).toBe('NOT_BANNED');
    const until = new Date(Date.now() + 3_600_000).toISOString();
    const first = await as(admin, 'POST', `/admin/players/${p.player.id}/ban`, { reason: 'spam', until });
    expect(first.status, first.text).toBe(200);
    expect(first.body.player.banned).toEqual({ reason: 'spam', at: expect.any(String), until });
    const second = await as(admin, 'POST', `/admin/players/${p.player.id}/ban`, { reason: 'worse' });
    expect(second.body.player.banned).toEqual({ reason: 'worse', at: expect.any(String), until: null });
    const login = await call(server, 'POST', api('/auth/login'), {
      body: { nickname: p.nickname, password: p.password },
    });
    expect(login.status).toBe(403);
    expect(login.body.error).toMatchObject({
      code: 'PLAYER_BANNED',
      details: { reason: 'worse', until: null },
    });
    // A wrong password is told nothing about the ban.
    const wrong = await call(server, 'POST', api('/auth/login'), {
      body: { nickname: p.nickname, password: 'wrong password' },
    });
    expect(wrong.status).toBe(401);
    const unban = await as(admin, 'POST', `/admin/players/${p.player.id}/unban`, { reason: 'appeal' });
    expect(unban.body.player.banned).toBeNull();
    const audit = await auditRows(p.player.id);
    expect(audit.map((r) => [r.action, r.reason, r.admin_id])).toEqual([
      ['ban', 'spam', admin.player.id],
      ['ban', 'worse', admin.player.id],
      ['unban', 'appeal', admin.player.id],
    ]);
    expect(audit[0]?.details).toMatchObject({ until, replaced: null, sessionsRevoked: 1 });
    expect(audit[1]?.details).toMatchObject({ until: null, replaced: { reason: 'spam', until } });
    expect(
      (
        await call(server, 'POST', api('/auth/login'), {
          body: { nickname: p.nickname, password: p.password },
        })
      ).status,
    ).toBe(200);
  });

  it('a ban also ends a challenge that committed between its battle locks and its player lock', async () => {
    const p = await pilot(1_000);
    const q = await pilot(1_000);
    // The side connection's challenge holds the pilot's row and its new battle, not yet committed: the ban
    // locks the (still empty) battles and listings, then waits for the row; the challenge then commits.
    await side.query('BEGIN');
    const challenged = await side.query(
      `SELECT o_status FROM mg_battle_challenge($1, $2, 100, NULL, repeat('ab', 32), true, 60, 5, NULL, '', 50)`,
      [p.player.id, q.player.id],
    );
    expect(challenged.rows[0].o_status).toBe(201);
    const ban = as(admin, 'POST', `/admin/players/${p.player.id}/ban`, { reason: 'race' });
    await waitForLockWaiters(side, 1);
    await side.query('COMMIT');
    expect((await ban).status).toBe(200);
    const statuses = rowsOf<{ status: string }>(
      await server.ctx.database.db.execute(
        sql`SELECT status FROM battles WHERE challenger_id = ${p.player.id}`,
      ),
    );
    expect(statuses).toEqual([{ status: 'cancelled' }]);
    expect(await books(server, p.player.id)).toMatchObject({ balance: 1_000, ledgerSum: 1_000 });
    expect(await auditMoney(server.ctx.database)).toEqual([]);
  });

  it('a temporary ban ends by itself at its until', async () => {
    const p = await pilot();
    const until = new Date(Date.now() + 1_500).toISOString();
    expect(
      (await as(admin, 'POST', `/admin/players/${p.player.id}/ban`, { reason: 'cool down', until })).status,
    ).toBe(200);
    expect((await as(p, 'GET', '/me')).status).toBe(401);
    const refused = await call(server, 'POST', api('/auth/login'), {
      body: { nickname: p.nickname, password: p.password },
    });
    expect(refused.body.error).toMatchObject({
      code: 'PLAYER_BANNED',
      details: { reason: 'cool down', until },
    });
    await new Promise((resolve) => setTimeout(resolve, Date.parse(until) - Date.now() + 100));
    const login = await call(server, 'POST', api('/auth/login'), {
      body: { nickname: p.nickname, password: p.password },
    });
    expect(login.status, login.text).toBe(200);
    expect((await as(admin, 'GET', `/admin/players/${p.player.id}`)).body.player.banned).toBeNull();
  });

  it('export: one JSON attachment with everything but password and token hashes; audited', async () => {
    const item = catalog[0] as ShopItem;
    const p = await pilot(item.price + 1_000);
    expect((await as(p, 'POST', `/shop/items/${item.id}/buy`)).status).toBe(200);
    const rival = await pilot(1_000);
    const rivalWs = await WsClient.connect(server.url, rival.token);
    try {
      const challenge = await as(p, 'POST', '/battles', { opponentId: rival.player.id, stake: 100 });
      expect(challenge.status, challenge.text).toBe(201);
      const answer = await as(admin, 'POST', `/admin/players/${p.player.id}/export`, {
        reason: 'GDPR request',
      });
      expect(answer.status, answer.text).toBe(200);
      expect(answer.headers.get('content-disposition')).toBe(
        `attachment; filename="player-${p.player.id}.json"`,
      );
      expect(answer.headers.get('content-type')).toContain('application/json');
      const doc = answer.body;
      expect(doc.player).toMatchObject({ id: p.player.id, nickname: p.nickname, balance: 900 });
      expect(doc.items).toEqual([expect.objectContaining({ id: item.id })]);
      expect(doc.ledger.map((row: { type: string }) => row.type)).toEqual([
        'admin_grant',
        'purchase',
        'battle_stake',
      ]);
      expect(doc.battles).toEqual([
        expect.objectContaining({ id: challenge.body.battle.id, status: 'pending' }),
      ]);
      expect(doc.sessions).toEqual([
        { createdAt: expect.any(String), expiresAt: expect.any(String), revokedAt: null },
      ]);
      expect(doc.auditEntries).toEqual([
        expect.objectContaining({ action: 'grant' }),
        expect.objectContaining({ action: 'export', reason: 'GDPR request', adminId: admin.player.id }),
      ]);
      const [stored] = rowsOf<{ password_hash: string; token_hash: string }>(
        await server.ctx.database.db.execute(sql`
          SELECT p.password_hash, s.token_hash FROM players p JOIN sessions s ON s.player_id = p.id WHERE p.id = ${p.player.id}`),
      );
      expect(answer.text).not.toContain(stored?.password_hash);
      expect(answer.text).not.toContain(stored?.token_hash);
      expect(answer.text).not.toMatch(/password|tokenHash|token_hash/i);
      expect((await auditRows(p.player.id)).at(-1)).toMatchObject({
        action: 'export',
        reason: 'GDPR request',
      });
    } finally {
      await rivalWs.close();
    }
  });

  it('delete: a tombstone, the name freed, challenges refunded, listings cancelled, the books whole', async () => {
    const [first, second] = catalog as [ShopItem, ShopItem];
    const p = await pilot(first.price + second.price + 5_000);
    for (const item of [first, second])
      expect((await as(p, 'POST', `/shop/items/${item.id}/buy`)).status).toBe(200);
    const listed = await as(p, 'POST', '/market/listings', { itemId: second.id, price: 777 });
    expect(listed.status, listed.text).toBe(201);
    const rival = await pilot(2_000);
    const rivalWs = await WsClient.connect(server.url, rival.token);
    const pWs = await WsClient.connect(server.url, p.token);
    try {
      expect((await as(p, 'POST', '/battles', { opponentId: rival.player.id, stake: 300 })).status).toBe(201);
      expect((await as(rival, 'POST', '/battles', { opponentId: p.player.id, stake: 200 })).status).toBe(201);
      const deleted = await as(admin, 'POST', `/admin/players/${p.player.id}/delete`, {
        reason: 'user asked',
      });
      expect(deleted.status, deleted.text).toBe(200);
      const hex = p.player.id.replaceAll('-', '').slice(0, 8);
      expect(deleted.body.player).toMatchObject({
        id: p.player.id,
        nickname: `deleted-${hex}`,
        balance: 0,
        itemCount: 0,
        banned: null,
        deletedAt: expect.any(String),
      });
      expect((await pWs.waitClosed()).code).toBe(4003);
      expect(pWs.closed?.reason).toBe('deleted');
      const [row] = rowsOf<Record<string, unknown>>(
        await server.ctx.database.db.execute(sql`SELECT * FROM players WHERE id = ${p.player.id}`),
      );
      expect(row).toMatchObject({ nickname: `deleted-${hex}`, password_hash: '!deleted', balance: 0 });
      expect(row?.nickname_key).not.toBe(p.nickname.toLowerCase());
      expect(await books(server, p.player.id)).toMatchObject({ balance: 0, ledgerSum: 0, items: [] });
      const closed = await ledgerRows(p.player.id, 'account_closed');
      // 5000 left once its 300 stake came back; the items (the listed one back first) left with the account.
      expect(closed).toEqual([{ amount: -5_000, note: 'user asked' }]);
      expect(await books(server, rival.player.id)).toMatchObject({ balance: 2_000, ledgerSum: 2_000 });
      const statuses = rowsOf<{ status: string }>(
        await server.ctx.database.db.execute(sql`
          SELECT status FROM battles WHERE challenger_id = ${p.player.id} OR opponent_id = ${p.player.id} ORDER BY created_at`),
      ).map((r) => r.status);
      expect(statuses).toEqual(['cancelled', 'declined']);
      const listing = rowsOf<{ status: string }>(
        await server.ctx.database.db.execute(
          sql`SELECT status FROM market_listings WHERE id = ${listed.body.listing.id}`,
        ),
      );
      expect(listing).toEqual([{ status: 'cancelled' }]);
      expect(
        rowsOf(
          await server.ctx.database.db.execute(sql`SELECT 1 FROM sessions WHERE player_id = ${p.player.id}`),
        ),
      ).toEqual([]);
      expect(await auditMoney(server.ctx.database)).toEqual([]);
      expect((await auditRows(p.player.id)).at(-1)).toMatchObject({
        admin_id: admin.player.id,
        action: 'delete',
        reason: 'user asked',
        details: { balance: 5_000, sessionsEnded: 1 },
      });

      // The old token, the old name: gone. The name is free; actions on the tombstone are refused.
      expect((await as(p, 'GET', '/me')).status).toBe(401);
      const login = await call(server, 'POST', api('/auth/login'), {
        body: { nickname: p.nickname, password: p.password },
      });
      expect(login.status).toBe(404);
      expect(login.body.error.code).toBe('PLAYER_NOT_FOUND');
      expect((await as(admin, 'GET', `/admin/players?q=${p.nickname}`)).body.players).toEqual([]);
      expect((await as(admin, 'GET', `/admin/players?q=${p.player.id}`)).body.players).toEqual([
        expect.objectContaining({ id: p.player.id, deletedAt: expect.any(String) }),
      ]);
      for (const [path, body] of [
        ['delete', { reason: 'again' }],
        ['ban', { reason: 'x' }],
        ['unban', { reason: 'x' }],
        ['export', { reason: 'x' }],
        ['credits', { amount: 1, reason: 'x' }],
        ['deductions', { amount: 1, reason: 'x' }],
      ] as const) {
        const answer = await as(admin, 'POST', `/admin/players/${p.player.id}/${path}`, body);
        expect(answer.status, path).toBe(409);
        expect(answer.body.error.code, path).toBe('PLAYER_DELETED');
      }
      const again = await register(server, p.nickname);
      expect(again.player.id).not.toBe(p.player.id);
      expect(await auditMoney(server.ctx.database)).toEqual([]);
    } finally {
      await rivalWs.close();
      await pWs.close();
    }
  });

  it('the audit log: newest first, filtered, with nicknames, paged; exported whole as JSON and CSV', async () => {
    const p = await pilot(1_000, uniqueNickname('-dash'));
    const tricky = 'line one, "quoted"\nline two';
    await as(admin, 'POST', `/admin/players/${p.player.id}/deductions`, { amount: 1, reason: tricky });
    await as(admin, 'POST', `/admin/players/${p.player.id}/ban`, { reason: '=HYPERLINK("x")' });
    const page = await as(admin, 'GET', `/admin/audit-log?playerId=${p.player.id}&limit=2`);
    expect(page.status).toBe(200);
    expect(page.body.entries.map((e: { action: string }) => e.action)).toEqual(['ban', 'deduct']);
    expect(page.body.entries[0]).toEqual({
      id: expect.any(String),
      action: 'ban',
      adminId: admin.player.id,
      adminNickname: admin.nickname,
      playerId: p.player.id,
      playerNickname: p.nickname,
      itemId: null,
      reason: '=HYPERLINK("x")',
      details: expect.objectContaining({ until: null }),
      createdAt: expect.any(String),
    });
    const next = await as(
      admin,
      'GET',
      `/admin/audit-log?playerId=${p.player.id}&limit=2&cursor=${page.body.nextCursor}`,
    );
    expect(next.body.entries.map((e: { action: string }) => e.action)).toEqual(['grant']);
    expect(next.body.nextCursor).toBeNull();
    const deducts = await as(admin, 'GET', '/admin/audit-log?action=deduct&limit=100');
    expect(deducts.body.entries.every((e: { action: string }) => e.action === 'deduct')).toBe(true);
    const all = await as(admin, 'GET', '/admin/audit-log?limit=100');
    const ids = all.body.entries.map((e: { id: string }) => Number(e.id));
    expect(ids).toEqual([...ids].sort((a, b) => b - a));

    const json = await as(admin, 'GET', '/admin/audit-log/export');
    expect(json.status).toBe(200);
    expect(json.headers.get('content-disposition')).toMatch(
      /^attachment; filename="audit-log-\d{4}-\d{2}-\d{2}\.json"$/,
    );
    expect(json.body.entries.length).toBeGreaterThanOrEqual(all.body.entries.length);
    expect(json.body.entries.at(-1).reason).toBe('=HYPERLINK("x")');

    const csv = await as(admin, 'GET', '/admin/audit-log/export?format=csv');
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toMatch(/\.csv"$/);
    expect(
      csv.text.startsWith(
        'id,createdAt,action,adminId,adminNickname,playerId,playerNickname,itemId,reason,details\r\n',
      ),
    ).toBe(true);
    expect(csv.text).toContain(`,"line one, ""quoted""\nline two",`);
    expect(csv.text).toContain(`,"'=HYPERLINK(""x"")",`);
    expect(csv.text).toContain(`,'${p.nickname},`);
  });
});
