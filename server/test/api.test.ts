/** The API contract end to end over HTTP: accounts, player data, shop, sales, admin, operations. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Answer, api, books, call, fund, makeAdmin, register, uniqueNickname } from './helpers/http';
import { backends, startServer, type TestServer } from './helpers/server';

describe.each(backends)('API contract on %s', (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer(backend);
  });
  afterAll(async () => {
    await server?.close();
  });

  describe('accounts', () => {
    it('registers with a login bonus in the configured range, recorded in the ledger', async () => {
      const pilot = await register(server);
      expect(pilot.loginBonus).toBeGreaterThanOrEqual(1000);
      expect(pilot.loginBonus).toBeLessThanOrEqual(2000);
      expect(pilot.player).toMatchObject({
        nickname: pilot.nickname,
        role: 'player',
        balance: pilot.loginBonus,
        power: 0,
        rating: 1000,
        itemCount: 0,
      });
      expect(pilot.token.length).toBeGreaterThanOrEqual(43);
      const history = await call(server, 'GET', api('/me/transactions'), { token: pilot.token });
      expect(history.body.transactions).toEqual([
        expect.objectContaining({
          type: 'login_bonus',
          amount: pilot.loginBonus,
          balanceAfter: pilot.loginBonus,
          itemId: null,
          battleId: null,
        }),
      ]);
    });

    it('rejects a second pilot with the same nickname in another case or Unicode form', async () => {
      const nickname = uniqueNickname('Ｖoyager'); // full-width V folds to V under NFKC
      await register(server, nickname);
      const again = await call(server, 'POST', api('/auth/register'), {
        body: { nickname: nickname.normalize('NFKC').toUpperCase(), password: 'whatever123' },
      });
      expect(again.status).toBe(409);
      expect(again.body.error.code).toBe('NICKNAME_TAKEN');
    });

    it('logs in with a new bonus each time, and tells unknown pilots and wrong passwords apart', async () => {
      const pilot = await register(server);
      const login = await call(server, 'POST', api('/auth/login'), {
        body: { nickname: pilot.nickname, password: pilot.password },
      });
      expect(login.status).toBe(200);
      expect(login.body.loginBonus).toBeGreaterThanOrEqual(1000);
      expect(login.body.player.balance).toBe(pilot.loginBonus + login.body.loginBonus);
      const wrong = await call(server, 'POST', api('/auth/login'), {
        body: { nickname: pilot.nickname, password: 'not the password' },
      });
      expect(wrong.status).toBe(401);
      expect(wrong.body.error.code).toBe('INVALID_CREDENTIALS');
      const unknown = await call(server, 'POST', api('/auth/login'), {
        body: { nickname: uniqueNickname(), password: 'whatever123' },
      });
      expect(unknown.status).toBe(404);
      expect(unknown.body.error.code).toBe('PLAYER_NOT_FOUND');
    });

    it('revokes the token at logout, at once', async () => {
      const pilot = await register(server);
      expect((await call(server, 'GET', api('/me'), { token: pilot.token })).status).toBe(200);
      const out = await call(server, 'POST', api('/auth/logout'), { token: pilot.token });
      expect(out.status).toBe(204);
      const after = await call(server, 'GET', api('/me'), { token: pilot.token });
      expect(after.status).toBe(401);
      expect(after.body.error.code).toBe('UNAUTHENTICATED');
    });

    it('never stores passwords or tokens in clear', async () => {
      const pilot = await register(server);
      const { rows } = (await server.ctx.database.db.execute(
        `SELECT password_hash, (SELECT string_agg(token_hash, ',') FROM sessions WHERE player_id = players.id) AS tokens FROM players WHERE id = '${pilot.player.id}'` as never,
      )) as unknown as { rows: { password_hash: string; tokens: string }[] };
      expect(rows[0]?.password_hash).toMatch(/^\$argon2id\$/);
      expect(rows[0]?.tokens).not.toContain(pilot.token);
    });
  });

  describe('shop', () => {
    it('lists the 15 original items with exact prices in minor units, by id', async () => {
      const page = await call(server, 'GET', api('/shop/items?limit=100&lang=ru'));
      expect(page.status).toBe(200);
      const byName = new Map<string, { price: number; power: number }>(
        page.body.items.map((i: { name: string; price: number; power: number }) => [i.name, i]),
      );
      expect(byName.get('Корабль класса Лёгкий крейсер')?.price).toBe(150075);
      expect(byName.get('Корабль класса Дредноут')?.price).toBe(450030);
      expect(byName.get('Боевой шлем')?.price).toBe(5099);
      expect(byName.get('Тактическая разведывательная станция')?.price).toBe(450000);
      expect(byName.get('Корабль класса Дредноут')!.power).toBeGreaterThan(byName.get('Боевой шлем')!.power);
      const ids = page.body.items.map((i: { id: number }) => i.id);
      expect(ids).toEqual([...ids].sort((a: number, b: number) => a - b));
    });

    it('pages by cursor without gaps or repeats', async () => {
      const seen: number[] = [];
      let cursor: string | null = null;
      do {
        const query: string = cursor ? `?limit=4&cursor=${encodeURIComponent(cursor)}` : '?limit=4';
        const page = await call(server, 'GET', api(`/shop/items${query}`));
        expect(page.status).toBe(200);
        expect(page.body.items.length).toBeLessThanOrEqual(4);
        seen.push(...page.body.items.map((i: { id: number }) => i.id));
        cursor = page.body.nextCursor;
      } while (cursor);
      const all = await call(server, 'GET', api('/shop/items?limit=100'));
      expect(seen).toEqual(all.body.items.map((i: { id: number }) => i.id));
    });

    it('searches names case-insensitively, treating % and _ literally', async () => {
      const found = await call(
        server,
        'GET',
        api(`/shop/items?lang=ru&search=${encodeURIComponent('КОРАБЛЬ')}`),
      );
      expect(found.body.items.map((i: { name: string }) => i.name).sort()).toEqual(
        ['Корабль класса Дредноут', 'Корабль класса Лёгкий крейсер'].sort(),
      );
      const none = await call(server, 'GET', api('/shop/items?search=%25'));
      expect(none.status).toBe(200);
      expect(none.body.items).toEqual([]);
    });

    it('sends an ETag and answers 304 to If-None-Match', async () => {
      const first = await call(server, 'GET', api('/shop/items?limit=5'));
      const etag = first.headers.get('etag');
      expect(etag).toBeTruthy();
      const again = await call(server, 'GET', api('/shop/items?limit=5'), {
        headers: { 'if-none-match': etag! },
      });
      expect(again.status).toBe(304);
      expect(again.text).toBe('');
    });

    it('buys: debits the price, adds the item, writes the ledger; refuses a second copy and a poor buyer', async () => {
      const pilot = await register(server);
      const helmet = await call(server, 'GET', api('/shop/items/3'));
      await fund(server, pilot.player.id, helmet.body.price * 2);
      const bought = await call(server, 'POST', api('/shop/items/3/buy'), { token: pilot.token });
      expect(bought.status).toBe(200);
      expect(bought.body.balance).toBe(pilot.loginBonus + helmet.body.price);
      expect(bought.body.item).toMatchObject({
        id: 3,
        price: helmet.body.price,
        sellPrice: helmet.body.price,
        power: helmet.body.power,
      });
      expect(typeof bought.body.transactionId).toBe('string');
      const twice = await call(server, 'POST', api('/shop/items/3/buy'), { token: pilot.token });
      expect(twice.status).toBe(409);
      expect(twice.body.error.code).toBe('ALREADY_OWNED');
      const poor = await call(server, 'POST', api('/shop/items/2/buy'), { token: pilot.token });
      expect(poor.status).toBe(409);
      expect(poor.body.error).toMatchObject({
        code: 'INSUFFICIENT_FUNDS',
        details: { balance: bought.body.balance, required: 450030 },
      });
      const me = await call(server, 'GET', api('/me'), { token: pilot.token });
      expect(me.body).toMatchObject({ itemCount: 1, power: helmet.body.power, balance: bought.body.balance });
      const b = await books(server, pilot.player.id);
      expect(b.balance).toBe(b.ledgerSum);
    });

    it('refuses a purchase when expectedPrice differs from the catalog price', async () => {
      const pilot = await register(server);
      await fund(server, pilot.player.id, 10_000);
      const changed = await call(server, 'POST', api('/shop/items/3/buy'), {
        token: pilot.token,
        body: { expectedPrice: 1 },
      });
      expect(changed.status).toBe(409);
      expect(changed.body.error).toMatchObject({ code: 'PRICE_CHANGED', details: { price: 5099 } });
      const ok = await call(server, 'POST', api('/shop/items/3/buy'), {
        token: pilot.token,
        body: { expectedPrice: 5099 },
      });
      expect(ok.status).toBe(200);
    });

    it('404s unknown items', async () => {
      const pilot = await register(server);
      expect((await call(server, 'GET', api('/shop/items/999999'))).body.error.code).toBe('ITEM_NOT_FOUND');
      const buy = await call(server, 'POST', api('/shop/items/999999/buy'), { token: pilot.token });
      expect(buy.status).toBe(404);
      expect(buy.body.error.code).toBe('ITEM_NOT_FOUND');
    });
  });

  describe('player data', () => {
    it('sells an owned item for its full price and refuses to sell what is not owned', async () => {
      const pilot = await register(server);
      await fund(server, pilot.player.id, 10_000);
      await call(server, 'POST', api('/shop/items/3/buy'), { token: pilot.token });
      const sold = await call(server, 'POST', api('/me/items/3/sell'), { token: pilot.token });
      expect(sold.status).toBe(200);
      expect(sold.body).toMatchObject({
        amount: 5099,
        balance: pilot.loginBonus + 10_000,
        item: { id: 3, price: 5099 },
      });
      const again = await call(server, 'POST', api('/me/items/3/sell'), { token: pilot.token });
      expect(again.status).toBe(409);
      expect(again.body.error.code).toBe('NOT_OWNED');
      const unknown = await call(server, 'POST', api('/me/items/999999/sell'), { token: pilot.token });
      expect(unknown.status).toBe(404);
      expect(unknown.body.error.code).toBe('ITEM_NOT_FOUND');
    });

    it('lists items and transactions by keyset pages, newest transactions first', async () => {
      const pilot = await register(server);
      await fund(server, pilot.player.id, 1_000_000);
      for (const id of [3, 4, 5, 10, 13])
        expect(
          (await call(server, 'POST', api(`/shop/items/${id}/buy`), { token: pilot.token })).status,
        ).toBe(200);
      const first = await call(server, 'GET', api('/me/items?limit=2'), { token: pilot.token });
      expect(first.body.items.map((i: { id: number }) => i.id)).toEqual([3, 4]);
      const second = await call(server, 'GET', api(`/me/items?limit=10&cursor=${first.body.nextCursor}`), {
        token: pilot.token,
      });
      expect(second.body.items.map((i: { id: number }) => i.id)).toEqual([5, 10, 13]);
      expect(second.body.nextCursor).toBeNull();
      const tx: { type: string; id: string; balanceAfter: number; amount: number }[] = [];
      let cursor: string | null = null;
      do {
        const page: Answer = await call(
          server,
          'GET',
          api(`/me/transactions?limit=3${cursor ? `&cursor=${cursor}` : ''}`),
          { token: pilot.token },
        );
        tx.push(...page.body.transactions);
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(tx.map((t) => t.type)).toEqual([
        'purchase',
        'purchase',
        'purchase',
        'purchase',
        'purchase',
        'admin_grant',
        'login_bonus',
      ]);
      expect(tx.map((t) => BigInt(t.id))).toEqual(
        [...tx.map((t) => BigInt(t.id))].sort((a, b) => (a > b ? -1 : 1)),
      );
      expect(tx[0]!.balanceAfter).toBe(tx.reduce((sum, t) => sum + t.amount, 0));
      expect(tx[0]).toMatchObject({ itemId: 13, itemName: 'Holographic modulator' });
      expect(tx.at(-1)).toMatchObject({ itemId: null, itemName: null });
    });

    it('shows others only the public profile', async () => {
      const a = await register(server);
      const b = await register(server);
      const profile = await call(server, 'GET', api(`/players/${b.player.id}`), { token: a.token });
      expect(profile.status).toBe(200);
      expect(Object.keys(profile.body).sort()).toEqual(['id', 'nickname', 'online', 'power', 'rating']);
      const missing = await call(server, 'GET', api('/players/00000000-0000-4000-8000-000000000000'), {
        token: a.token,
      });
      expect(missing.status).toBe(404);
      expect(missing.body.error.code).toBe('PLAYER_NOT_FOUND');
    });
  });

  describe('admin', () => {
    it('forbids players and lets admins edit the catalog and grant credits', async () => {
      const player = await register(server);
      const forbidden = await call(server, 'POST', api('/admin/items'), {
        token: player.token,
        body: { name: 'x', price: 1, power: 1 },
      });
      expect(forbidden.status).toBe(403);
      expect(forbidden.body.error.code).toBe('FORBIDDEN');

      const boss = await register(server);
      await makeAdmin(server, boss.player.id);
      const name = uniqueNickname('Star Destroyer');
      const created = await call(server, 'POST', api('/admin/items'), {
        token: boss.token,
        body: { name, price: 99_999, power: 500 },
      });
      expect(created.status).toBe(201);
      const id: number = created.body.item.id;
      const dup = await call(server, 'POST', api('/admin/items'), {
        token: boss.token,
        body: { name, price: 1, power: 1 },
      });
      expect(dup.status).toBe(409);

      const before = await call(server, 'GET', api(`/shop/items?search=${encodeURIComponent(name)}`));
      expect(before.body.items).toEqual([{ id, name, price: 99_999, power: 500, lowestMarketPrice: null }]);
      const patched = await call(server, 'PATCH', api(`/admin/items/${id}`), {
        token: boss.token,
        body: { price: 88_888 },
      });
      expect(patched.body.item.price).toBe(88_888);
      const after = await call(server, 'GET', api(`/shop/items?search=${encodeURIComponent(name)}`), {
        headers: { 'if-none-match': before.headers.get('etag')! },
      });
      expect(after.status).toBe(200); // the cached page and its ETag changed with the price
      expect(after.body.items[0].price).toBe(88_888);

      await fund(server, player.player.id, 100_000);
      expect((await call(server, 'POST', api(`/shop/items/${id}/buy`), { token: player.token })).status).toBe(
        200,
      );
      expect((await call(server, 'DELETE', api(`/admin/items/${id}`), { token: boss.token })).status).toBe(
        204,
      );
      expect((await call(server, 'GET', api(`/shop/items/${id}`))).status).toBe(404);
      expect(
        (await call(server, 'GET', api(`/shop/items?search=${encodeURIComponent(name)}`))).body.items,
      ).toEqual([]);
      const sold = await call(server, 'POST', api(`/me/items/${id}/sell`), { token: player.token });
      expect(sold.status).toBe(200);
      expect(sold.body.amount).toBe(88_888);

      const grant = await call(server, 'POST', api(`/admin/players/${player.player.id}/credits`), {
        token: boss.token,
        body: { amount: 500, reason: 'tournament' },
      });
      expect(grant.status).toBe(200);
      expect(grant.body.balance).toBe((await books(server, player.player.id)).balance);
      const nobody = await call(
        server,
        'POST',
        api('/admin/players/00000000-0000-4000-8000-000000000000/credits'),
        {
          token: boss.token,
          body: { amount: 500, reason: 'x' },
        },
      );
      expect(nobody.status).toBe(404);
    });
  });

  describe('operations', () => {
    it('answers health, readiness, metrics and the OpenAPI document', async () => {
      expect((await call(server, 'GET', '/healthz')).status).toBe(200);
      expect((await call(server, 'GET', '/readyz')).body).toEqual({ database: 'ok', redis: 'off' });
      const metrics = await call(server, 'GET', '/metrics');
      expect(metrics.text).toContain('http_request_duration_seconds_bucket');
      expect(metrics.text).toContain('shop_purchases_total');
      const openapi = await call(server, 'GET', '/openapi.json');
      expect(openapi.body.openapi).toMatch(/^3\./);
      expect(Object.keys(openapi.body.paths)).toEqual(
        expect.arrayContaining(['/api/v1/shop/items/{id}/buy', '/api/v1/me/transactions']),
      );
      const docs = await call(server, 'GET', '/docs');
      expect(docs.status).toBeLessThan(400);
    });

    it('tags every answer with a request id, keeping a sane one the caller sent', async () => {
      const given = await call(server, 'GET', api('/shop/items'), {
        headers: { 'x-request-id': 'trace.42-a' },
      });
      expect(given.headers.get('x-request-id')).toBe('trace.42-a');
      const fresh = [
        await call(server, 'GET', api('/shop/items')),
        await call(server, 'GET', api('/nothing')),
      ];
      const ids = fresh.map((answer) => answer.headers.get('x-request-id'));
      expect(fresh[1]?.status).toBe(404);
      for (const id of ids) expect(id).toMatch(/^[\w.-]{1,64}$/);
      expect(new Set(ids).size).toBe(2);
      // Not a plain token (or too long): replaced, never echoed into the logs or the answer.
      for (const bad of ['two words', 'x'.repeat(65), 'quote"d']) {
        const answer = await call(server, 'GET', api('/shop/items'), { headers: { 'x-request-id': bad } });
        expect(answer.headers.get('x-request-id')).not.toBe(bad);
        expect(answer.headers.get('x-request-id')).toMatch(/^[\w.-]{1,64}$/);
      }
    });

    it('gives unknown routes the error body', async () => {
      const answer = await call(server, 'GET', api('/nowhere'));
      expect(answer.status).toBe(404);
      expect(answer.body.error.code).toBe('NOT_FOUND');
    });
  });
});
