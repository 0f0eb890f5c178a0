// What a player reads. Messages speak credits, as clients show them (details keep minor units).
// Item names in the player's language: the catalog file's translations are stored and served by
// `?lang=` or `Accept-Language` (English by default), caches keep one copy per language, search finds
// a name in any language, and inventory, history and the answers of buys and sells speak the same
// language as the shop.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { languageOf } from '../src/lib/language';
import { api, call, fund, makeAdmin, register } from './helpers/http';
import { backends, startServer, type TestServer } from './helpers/server';

const HELMET = 3;

describe('languageOf', () => {
  it('takes ?lang=, else the best supported Accept-Language, else English', () => {
    expect(languageOf(undefined, undefined)).toBe('en');
    expect(languageOf('ru', 'en')).toBe('ru');
    expect(languageOf('ru-RU', undefined)).toBe('ru');
    expect(languageOf('de', 'ru')).toBe('en');
    expect(languageOf(undefined, 'ru-RU,ru;q=0.9,en-US;q=0.8')).toBe('ru');
    expect(languageOf(undefined, 'de-DE, en;q=0.5, ru;q=0.7')).toBe('ru');
    expect(languageOf(undefined, 'de, fr;q=0.5')).toBe('en');
    expect(languageOf(undefined, 'ru;q=0, en;q=0.1')).toBe('en');
  });
});

describe.each(backends)('item names (%s)', (backend) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer(backend);
  });
  afterAll(async () => {
    await server.close();
  });

  it('serves English by default and Russian when asked, by query or header', async () => {
    const english = await call(server, 'GET', api(`/shop/items/${HELMET}`));
    expect(english.body.name).toBe('Combat helmet');
    expect(english.headers.get('vary')).toMatch(/accept-language/i);
    const byHeader = await call(server, 'GET', api(`/shop/items/${HELMET}`), {
      headers: { 'accept-language': 'ru-RU,ru;q=0.9,en;q=0.5' },
    });
    expect(byHeader.body.name).toBe('Боевой шлем');
    const byQuery = await call(server, 'GET', api(`/shop/items/${HELMET}?lang=ru`), {
      headers: { 'accept-language': 'en' },
    });
    expect(byQuery.body.name).toBe('Боевой шлем');
    const unknown = await call(server, 'GET', api(`/shop/items/${HELMET}?lang=de`));
    expect(unknown.body.name).toBe('Combat helmet');
  });

  it('caches catalog pages per language, with an ETag and Vary for each', async () => {
    const names = async (headers: Record<string, string>) => {
      const page = await call(server, 'GET', api('/shop/items?limit=3'), { headers });
      expect(page.status).toBe(200);
      expect(page.headers.get('vary')).toMatch(/accept-language/i);
      return { names: page.body.items.map((i: { name: string }) => i.name), etag: page.headers.get('etag') };
    };
    const en1 = await names({});
    const ru = await names({ 'accept-language': 'ru' });
    const en2 = await names({ 'accept-language': 'en-GB' });
    expect(en1.names).toEqual(['Light cruiser', 'Dreadnought', 'Combat helmet']);
    expect(ru.names).toEqual(['Корабль класса Лёгкий крейсер', 'Корабль класса Дредноут', 'Боевой шлем']);
    expect(en2).toEqual(en1);
    expect(ru.etag).not.toBe(en1.etag);
    // An English ETag is no match for the Russian page.
    const revalidated = await call(server, 'GET', api('/shop/items?limit=3&lang=ru'), {
      headers: { 'if-none-match': en1.etag ?? '' },
    });
    expect(revalidated.status).toBe(200);
  });

  it('finds an item by its name in any language', async () => {
    for (const search of ['HELMET', 'шлем', 'Боевой']) {
      const found = await call(server, 'GET', api(`/shop/items?search=${encodeURIComponent(search)}`));
      expect(found.body.items.map((i: { id: number; name: string }) => [i.id, i.name])).toEqual([
        [HELMET, 'Combat helmet'],
      ]);
    }
  });

  it('names owned items and transactions in the language asked for; history shows a grant reason', async () => {
    const pilot = await register(server);
    await fund(server, pilot.player.id, 10_000);
    expect(
      (await call(server, 'POST', api(`/shop/items/${HELMET}/buy`), { token: pilot.token })).status,
    ).toBe(200);
    const ru = { token: pilot.token, headers: { 'accept-language': 'ru' } };
    expect((await call(server, 'GET', api('/me/items'), { token: pilot.token })).body.items[0].name).toBe(
      'Combat helmet',
    );
    expect((await call(server, 'GET', api('/me/items'), ru)).body.items[0].name).toBe('Боевой шлем');
    const history = await call(server, 'GET', api('/me/transactions?lang=ru'), { token: pilot.token });
    expect(history.body.transactions[0]).toMatchObject({ type: 'purchase', itemName: 'Боевой шлем' });
    expect(history.body.transactions[1]).toMatchObject({ type: 'admin_grant', note: 'test', itemName: null });
    expect(history.body.transactions[2]).toMatchObject({ type: 'login_bonus', note: null });
  });

  it('names the item of a buy or sell answer, and of its rule errors, in the language asked for', async () => {
    const pilot = await register(server);
    await fund(server, pilot.player.id, 10_000);
    const as = (lang: string, extra: { headers?: Record<string, string>; body?: unknown } = {}) => ({
      token: pilot.token,
      body: extra.body,
      headers: { 'accept-language': lang, ...extra.headers },
    });
    const buy = (lang: string, extra = {}) =>
      call(server, 'POST', api(`/shop/items/${HELMET}/buy`), as(lang, extra));
    const sell = (lang: string, extra = {}) =>
      call(server, 'POST', api(`/me/items/${HELMET}/sell`), as(lang, extra));

    const notOwned = await sell('en-US,en;q=0.9');
    expect(notOwned.status).toBe(409);
    expect(notOwned.body.error).toEqual({ code: 'NOT_OWNED', message: 'You do not own "Combat helmet"' });
    expect((await sell('ru')).body.error.message).toBe('You do not own "Боевой шлем"');
    const changed = await buy('en', { body: { expectedPrice: 1 } });
    expect(changed.body.error.message).toBe('The price of "Combat helmet" is now 50.99 credits');

    const bought = await buy('en', { headers: { 'idempotency-key': 'helmet-en' } });
    expect(bought.status).toBe(200);
    expect(bought.body.item).toMatchObject({ id: HELMET, name: 'Combat helmet' });
    // A replay is the first answer's bytes, also when the retry asks in another language.
    for (const lang of ['en', 'ru']) {
      const replay = await buy(lang, { headers: { 'idempotency-key': 'helmet-en' } });
      expect(replay.headers.get('idempotent-replayed')).toBe('true');
      expect(replay.text).toBe(bought.text);
    }
    const owned = await buy('ru');
    expect(owned.body.error).toEqual({ code: 'ALREADY_OWNED', message: 'You already own "Боевой шлем"' });
    expect((await buy('en')).body.error.message).toBe('You already own "Combat helmet"');

    const sold = await call(server, 'POST', api(`/me/items/${HELMET}/sell?lang=ru`), as('en'));
    expect(sold.status).toBe(200);
    expect(sold.body.item).toMatchObject({ id: HELMET, name: 'Боевой шлем' });
    expect((await buy('ru')).body.item.name).toBe('Боевой шлем');
    expect((await sell('en')).body.item.name).toBe('Combat helmet');
    // No language asked for: English, as in the shop.
    expect(
      (await call(server, 'POST', api(`/shop/items/${HELMET}/buy`), { token: pilot.token })).body.item.name,
    ).toBe('Combat helmet');
  });

  it('says amounts in credits in messages and in minor units in details', async () => {
    const pilot = await register(server);
    const poor = await call(server, 'POST', api(`/shop/items/${HELMET}/buy`), { token: pilot.token });
    expect(poor.status).toBe(409);
    const have = pilot.player.balance;
    expect(poor.body.error).toEqual({
      code: 'INSUFFICIENT_FUNDS',
      message: `Not enough credits: need 50.99 credits, have ${(have / 100).toFixed(2)}`,
      details: { balance: have, required: 5099 },
    });
    await fund(server, pilot.player.id, 10_000);
    const moved = await call(server, 'POST', api(`/shop/items/${HELMET}/buy`), {
      token: pilot.token,
      body: { expectedPrice: 5000 },
    });
    expect(moved.body.error).toEqual({
      code: 'PRICE_CHANGED',
      message: expect.stringMatching(/^The price of ".+" is now 50\.99 credits$/),
      details: { price: 5099 },
    });
  });

  it('an item an admin adds or renames shows its own name in every language', async () => {
    const boss = await register(server);
    await makeAdmin(server, boss.player.id);
    const renamed = await call(server, 'PATCH', api('/admin/items/15'), {
      token: boss.token,
      body: { name: 'Reserve tank' },
    });
    expect(renamed.status).toBe(200);
    for (const lang of ['en', 'ru']) {
      expect((await call(server, 'GET', api(`/shop/items/15?lang=${lang}`))).body.name).toBe('Reserve tank');
    }
  });
});
