/**
 * A ban across two nodes sharing Postgres and Redis (multi-node/fixture.ts): the banned player's socket on
 * the other node closes with 4003 `banned` within a second, its token is refused on both nodes at once
 * (also where it was cached), login is 403 PLAYER_BANNED, pending challenges are refunded both ways, the
 * listing is cancelled (item back), the quick-match entry is gone, the books stay whole; an unban and a
 * temporary ban's end let the pilot in again.
 */
import type { ShopItem } from '@metagameplay/protocol';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditMoney } from '../../src/features/wallet/wallet.audit';
import { api, books, call } from '../helpers/http';
import type { TestServer } from '../helpers/server';
import { WsClient } from '../helpers/ws';
import { redisServerInstalled } from '../infra/redis-helpers';
import { twoNodes } from '../multi-node/fixture';

describe.skipIf(!redisServerInstalled)('admin: a ban across two nodes', () => {
  const nodes = twoNodes();
  let a: TestServer;
  let b: TestServer;
  let item: ShopItem;
  beforeAll(async () => {
    ({ a, b } = nodes.current());
    const page = await call<{ items: ShopItem[] }>(a, 'GET', api('/shop/items?limit=100'));
    item = page.body.items[0] as ShopItem;
  });

  const login = (node: TestServer, nickname: string, password: string) =>
    call(node, 'POST', api('/auth/login'), { body: { nickname, password } });

  it('closes the socket on the other node (4003 banned) within 1 s and ends everything the pilot had going', async () => {
    const boss = await nodes.newAdmin();
    const p = await nodes.newPilot(item.price + 50_000);
    const q = await nodes.newPilot(50_000);
    const pToken = p.session.token;
    const pId = p.session.player.id;
    const qId = q.session.player.id;
    expect((await call(a, 'POST', api(`/shop/items/${item.id}/buy`), { token: pToken })).status).toBe(200);
    const listing = await call(b, 'POST', api('/market/listings'), {
      token: pToken,
      body: { itemId: item.id, price: 12_345 },
    });
    expect(listing.status, listing.text).toBe(201);
    const pWs = await WsClient.connect(b.url, pToken);
    const qWs = await WsClient.connect(a.url, q.session.token);
    try {
      const mine = await call(a, 'POST', api('/battles'), {
        token: pToken,
        body: { opponentId: qId, stake: 1_000 },
      });
      expect(mine.status, mine.text).toBe(201);
      const theirs = await call(b, 'POST', api('/battles'), {
        token: q.session.token,
        body: { opponentId: pId, stake: 700 },
      });
      expect(theirs.status, theirs.text).toBe(201);
      const queued = await call(b, 'POST', api('/matchmaking'), { token: pToken, body: { stake: 0 } });
      expect(queued.status, queued.text).toBe(202);
      // The token is in both nodes' way of looking it up (the shared cache) before the ban.
      for (const node of [a, b])
        expect((await call(node, 'GET', api('/me'), { token: pToken })).status).toBe(200);
      const pBefore = (await books(a, pId)).balance;
      const qBefore = (await books(a, qId)).balance;

      const banned = await call(a, 'POST', api(`/admin/players/${pId}/ban`), {
        token: boss.token,
        body: { reason: 'cheating' },
      });
      expect(banned.status, banned.text).toBe(200);
      const answeredAt = performance.now();
      expect(banned.body.player.banned).toEqual({ reason: 'cheating', at: expect.any(String), until: null });
      const closed = await pWs.waitClosed(1_000);
      expect(performance.now() - answeredAt).toBeLessThan(1_000);
      expect(closed).toEqual({ code: 4003, reason: 'banned' });

      for (const node of [a, b]) {
        expect((await call(node, 'GET', api('/me'), { token: pToken })).status).toBe(401);
        const refused = await login(node, p.session.nickname, p.session.password);
        expect(refused.status).toBe(403);
        expect(refused.body.error).toMatchObject({
          code: 'PLAYER_BANNED',
          details: { reason: 'cheating', until: null },
        });
      }
      // Both challenges refunded (the pilot's cancelled, the one to it declined), the listing cancelled.
      expect((await books(a, pId)).balance).toBe(pBefore + 1_000);
      expect((await books(a, qId)).balance).toBe(qBefore + 700);
      const battles = await call(a, 'GET', api(`/admin/players/${pId}/battles`), { token: boss.token });
      expect(
        Object.fromEntries(battles.body.battles.map((x: { id: string; status: string }) => [x.id, x.status])),
      ).toEqual({ [mine.body.battle.id]: 'cancelled', [theirs.body.battle.id]: 'declined' });
      await qWs.next('battle.cancelled');
      const detail = await call(b, 'GET', api(`/admin/players/${pId}`), { token: boss.token });
      expect(detail.body.sessions).toEqual({ active: 0, total: 1 });
      expect(detail.body.listings).toEqual([
        expect.objectContaining({ id: listing.body.listing.id, status: 'cancelled' }),
      ]);
      expect(detail.body.items).toEqual([expect.objectContaining({ id: item.id })]);
      expect(detail.body.items[0].listingId).toBeUndefined();
      expect(await a.ctx.matchQueue.entry(pId)).toBeNull();
      expect(await auditMoney(a.ctx.database)).toEqual([]);
      const audit = await call(b, 'GET', api(`/admin/audit-log?playerId=${pId}&action=ban`), {
        token: boss.token,
      });
      expect(audit.body.entries).toEqual([
        expect.objectContaining({
          adminId: boss.player.id,
          adminNickname: boss.nickname,
          playerNickname: p.session.nickname,
          reason: 'cheating',
          details: {
            until: null,
            replaced: null,
            sessionsRevoked: 1,
            battlesRefunded: expect.arrayContaining([mine.body.battle.id, theirs.body.battle.id]),
            listingsCancelled: [listing.body.listing.id],
          },
        }),
      ]);

      const unbanned = await call(b, 'POST', api(`/admin/players/${pId}/unban`), {
        token: boss.token,
        body: { reason: 'appeal granted' },
      });
      expect(unbanned.status, unbanned.text).toBe(200);
      const back = await login(a, p.session.nickname, p.session.password);
      expect(back.status, back.text).toBe(200);
      expect((await call(b, 'GET', api('/me'), { token: back.body.token })).status).toBe(200);
    } finally {
      await pWs.close();
      await qWs.close();
    }
  });

  it('a temporary ban lets the pilot in again after its until, on either node', async () => {
    const boss = await nodes.newAdmin();
    const p = await nodes.newPilot(0);
    const until = new Date(Date.now() + 1_200).toISOString();
    const banned = await call(b, 'POST', api(`/admin/players/${p.session.player.id}/ban`), {
      token: boss.token,
      body: { reason: 'cool down', until },
    });
    expect(banned.status, banned.text).toBe(200);
    const refused = await login(a, p.session.nickname, p.session.password);
    expect(refused.body.error).toMatchObject({
      code: 'PLAYER_BANNED',
      details: { reason: 'cool down', until },
    });
    await new Promise((resolve) => setTimeout(resolve, Date.parse(until) - Date.now() + 100));
    expect((await login(b, p.session.nickname, p.session.password)).status).toBe(200);
    expect((await login(a, p.session.nickname, p.session.password)).status).toBe(200);
  });
});
