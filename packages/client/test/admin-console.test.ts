/** The operator console's calls send what API.md "The operator's console" says, and bring files back as text. */
import { describe, expect, it } from 'vitest';
import { apiError, empty, json, rejection, testClient } from './fake-server';

const id = '6f1c2d1e-8d0b-4f3a-9d55-0e2b9a3c7f10';

describe('admin console calls', () => {
  it('send each path, query and body, with the token', async () => {
    const { client, requests } = testClient(
      [
        json(200, { players: [], nextCursor: null }),
        json(200, { player: {}, sessions: { active: 0, total: 0 }, items: [], listings: [] }),
        json(200, { transactions: [], nextCursor: null }),
        json(200, { battles: [], nextCursor: null }),
        json(200, { player: {} }),
        json(200, { player: {} }),
        json(200, { player: {} }),
        json(200, { entries: [], nextCursor: null }),
        json(200, { items: [] }),
        json(200, { item: {} }),
        empty(204),
        json(200, { ok: true, findings: [], checkedAt: '2026-11-29T12:00:00.000Z', durationMs: 5 }),
        json(200, { intervalMs: 2000, nodes: [], total: { series: [] } }),
        json(200, { days: [], supply: 0, escrow: 0, topHolders: [] }),
        json(201, { item: {} }),
      ],
      { token: 'admin' },
    );
    const admin = client.admin;
    await admin.players({ q: 've ga', limit: 20, cursor: 'c1' });
    await admin.playerDetail(id);
    await admin.playerTransactions(id, { cursor: 'c2' });
    await admin.playerBattles(id, { limit: 5 });
    await admin.ban(id, { reason: 'cheating', until: '2026-12-01T00:00:00.000Z' });
    await admin.unban(id, { reason: 'appeal' });
    await admin.deletePlayer(id, { reason: 'asked to' });
    await admin.auditLog({ action: 'ban', playerId: id });
    await admin.catalog();
    await admin.restoreItem(7, { reason: 'back' });
    await admin.deleteItem(7, { reason: 'old' });
    await admin.checkBooks();
    await admin.dashboard();
    await admin.economy(30);
    await admin.createItem({ name: 'Shield', price: 100, power: 2, names: { en: 'Shield', ru: 'Щит' } });
    expect(
      requests.map((r) => `${r.method} ${r.url.replace('http://game.test/api/v1', '')} ${r.body ?? '-'}`),
    ).toEqual([
      'GET /admin/players?q=ve+ga&limit=20&cursor=c1 -',
      `GET /admin/players/${id} -`,
      `GET /admin/players/${id}/transactions?cursor=c2 -`,
      `GET /admin/players/${id}/battles?limit=5 -`,
      `POST /admin/players/${id}/ban {"reason":"cheating","until":"2026-12-01T00:00:00.000Z"}`,
      `POST /admin/players/${id}/unban {"reason":"appeal"}`,
      `POST /admin/players/${id}/delete {"reason":"asked to"}`,
      `GET /admin/audit-log?playerId=${id}&action=ban -`,
      'GET /admin/items -',
      'POST /admin/items/7/restore {"reason":"back"}',
      'DELETE /admin/items/7 {"reason":"old"}',
      'POST /admin/books/check {}',
      'GET /admin/dashboard -',
      'GET /admin/economy?days=30 -',
      'POST /admin/items {"name":"Shield","price":100,"power":2,"names":{"en":"Shield","ru":"Щит"}}',
    ]);
    expect(requests.every((r) => r.headers.authorization === 'Bearer admin')).toBe(true);
  });

  it('deducts with an Idempotency-Key, and a refusal keeps its code, message and details', async () => {
    const { client, requests } = testClient(
      [
        json(200, { balance: 700, transactionId: '9' }),
        apiError(409, 'INSUFFICIENT_FUNDS', 'Not enough credits', {
          details: { balance: 700, required: 5000 },
        }),
      ],
      { token: 'admin' },
    );
    await expect(client.admin.deductCredits(id, { amount: 300, reason: 'fix' })).resolves.toEqual({
      balance: 700,
      transactionId: '9',
    });
    expect(requests[0]!.url).toBe(`http://game.test/api/v1/admin/players/${id}/deductions`);
    expect(requests[0]!.headers['idempotency-key']).toMatch(/.+/);
    await expect(
      rejection(client.admin.deductCredits(id, { amount: 5000, reason: 'fix' })),
    ).resolves.toMatchObject({
      status: 409,
      code: 'INSUFFICIENT_FUNDS',
      message: 'Not enough credits',
      details: { balance: 700, required: 5000 },
    });
  });

  it('brings an export back as the text the server sent (JSON or CSV), unparsed', async () => {
    const csv = 'id,action\n1,ban\n';
    const exported = '{"profile": {"id": "x"}}';
    const { client, requests } = testClient(
      [
        new Response(csv, { status: 200, headers: { 'content-type': 'text/csv; charset=utf-8' } }),
        new Response(exported, { status: 200, headers: { 'content-type': 'application/json' } }),
        apiError(403, 'FORBIDDEN'),
      ],
      { token: 'admin' },
    );
    await expect(client.admin.exportAuditLog('csv')).resolves.toEqual({
      text: csv,
      contentType: 'text/csv; charset=utf-8',
    });
    expect(requests[0]!.url).toBe('http://game.test/api/v1/admin/audit-log/export?format=csv');
    await expect(client.admin.exportPlayer(id, { reason: 'GDPR request' })).resolves.toEqual({
      text: exported,
      contentType: 'application/json',
    });
    expect(requests[1]!.method).toBe('POST');
    expect(requests[1]!.body).toBe('{"reason":"GDPR request"}');
    await expect(rejection(client.admin.exportAuditLog('json'))).resolves.toMatchObject({
      code: 'FORBIDDEN',
    });
  });
});
