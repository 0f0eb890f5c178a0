/**
 * Hostile input, Idempotency-Key: malformed keys refused on every money move, replays byte for byte (a
 * missing body and `{}` are the same request), a key reused for another request refused, keys owned by one
 * player. See hostile.ts for what every refusal must be.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, books, call, fund, register, type TestPlayer } from '../helpers/http';
import { backends, type TestServer } from '../helpers/server';
import {
  expectBooksUntouched,
  expectError,
  expectInvalid,
  HELMET,
  type HostileServer,
  JSON_TYPE,
  NO_PLAYER,
  openHostileServer,
} from './hostile';

describe.each(backends)('hostile input: Idempotency-Key on %s', (backend) => {
  let hostile: HostileServer;
  let server: TestServer;
  let pilot: TestPlayer;
  let boss: TestPlayer;
  let pilotBooks: HostileServer['pilotBooks'];

  beforeAll(async () => {
    hostile = await openHostileServer(backend);
    ({ server, pilot, boss, pilotBooks } = hostile);
  });
  afterAll(async () => {
    await hostile?.server.close();
  });

  describe('Idempotency-Key', () => {
    let buyer: TestPlayer;
    beforeAll(async () => {
      buyer = await register(server);
      await fund(server, buyer.player.id, 1_000_000);
    });

    it('refuses an empty, overlong or non-ASCII key on every money move, and does nothing', async () => {
      const before = await books(server, buyer.player.id);
      const moves: { method: string; path: string; token: () => string; body?: unknown }[] = [
        { method: 'POST', path: '/shop/items/5/buy', token: () => buyer.token },
        { method: 'POST', path: `/me/items/${HELMET}/sell`, token: () => pilot.token },
        {
          method: 'POST',
          path: `/admin/players/${NO_PLAYER}/credits`,
          token: () => boss.token,
          body: { amount: 1, reason: 'x' },
        },
      ];
      const keys = [
        '',
        'k'.repeat(129),
        'clé', // é is sent as the byte 0xE9
        Buffer.from('ключ', 'utf8').toString('latin1'), // UTF-8 bytes as they arrive
        'tab\tinside',
      ];
      for (const move of moves) {
        for (const key of keys) {
          const answer = await call(server, move.method, api(move.path), {
            token: move.token(),
            headers: { 'idempotency-key': key },
            ...(move.body === undefined ? {} : { body: move.body }),
          });
          expectInvalid(answer, 'headers/idempotency-key');
        }
      }
      expect(await books(server, buyer.player.id)).toEqual(before);
      expect(await books(server, pilot.player.id)).toEqual(pilotBooks);
    });

    it('accepts 128 printable ASCII characters, spaces included', async () => {
      const key = ` ~!${'k'.repeat(122)}{} `;
      expect(key).toHaveLength(128);
      const answer = await call(server, 'GET', api('/shop/items/6'));
      const bought = await call(server, 'POST', api('/shop/items/6/buy'), {
        token: buyer.token,
        headers: { 'idempotency-key': key },
        body: { expectedPrice: answer.body.price },
      });
      expect(bought.status, bought.text).toBe(200);
    });

    it('replays the first answer byte for byte, flagged, without doing the work again', async () => {
      const key = 'replay-buy-5';
      const first = await call(server, 'POST', api('/shop/items/5/buy'), {
        token: buyer.token,
        headers: { 'idempotency-key': key },
      });
      expect(first.status, first.text).toBe(200);
      expect(first.headers.get('idempotent-replayed')).toBeNull();
      const after = await books(server, buyer.player.id);
      for (const body of [undefined, {}]) {
        const again = await call(server, 'POST', api('/shop/items/5/buy'), {
          token: buyer.token,
          headers: { 'idempotency-key': key },
          ...(body === undefined ? {} : { body }),
        });
        expect(again.status).toBe(first.status);
        expect(again.text).toBe(first.text);
        expect(again.headers.get('idempotent-replayed')).toBe('true');
      }
      expect(await books(server, buyer.player.id)).toEqual(after);

      // A refusal is replayed the same way.
      const refused = await call(server, 'POST', api('/shop/items/5/buy'), {
        token: buyer.token,
        headers: { 'idempotency-key': 'replay-refusal' },
      });
      expectError(refused, 409, 'ALREADY_OWNED');
      const refusedAgain = await call(server, 'POST', api('/shop/items/5/buy'), {
        token: buyer.token,
        headers: { 'idempotency-key': 'replay-refusal' },
      });
      expect(refusedAgain.status).toBe(409);
      expect(refusedAgain.text).toBe(refused.text);
      expect(refusedAgain.headers.get('idempotent-replayed')).toBe('true');
    });

    it('answers 409 IDEMPOTENCY_KEY_REUSED to the same key with another path, endpoint or body', async () => {
      const key = 'reuse-buy-7';
      expect(
        (
          await call(server, 'POST', api('/shop/items/7/buy'), {
            token: buyer.token,
            headers: { 'idempotency-key': key },
          })
        ).status,
      ).toBe(200);
      const before = await books(server, buyer.player.id);
      const reuses: { method: string; path: string; body?: unknown }[] = [
        { method: 'POST', path: '/shop/items/8/buy' },
        { method: 'POST', path: '/me/items/7/sell' },
        { method: 'POST', path: '/shop/items/7/buy', body: { expectedPrice: 1 } },
      ];
      for (const reuse of reuses) {
        const answer = await call(server, reuse.method, api(reuse.path), {
          token: buyer.token,
          headers: { 'idempotency-key': key },
          ...(reuse.body === undefined ? {} : { body: reuse.body }),
        });
        expectError(answer, 409, 'IDEMPOTENCY_KEY_REUSED');
        expect(answer.headers.get('idempotent-replayed')).toBeNull();
      }
      expect(await books(server, buyer.player.id)).toEqual(before);

      const grantKey = { 'idempotency-key': 'grant-once' };
      const path = api(`/admin/players/${buyer.player.id}/credits`);
      const granted = await call(server, 'POST', path, {
        token: boss.token,
        headers: grantKey,
        body: { amount: 5, reason: 'x' },
      });
      expect(granted.status).toBe(200);
      const sameFieldsOtherOrder = await call(server, 'POST', path, {
        token: boss.token,
        rawBody: '{"reason":"x","amount":5}',
        headers: { ...grantKey, ...JSON_TYPE },
      });
      expect(sameFieldsOtherOrder.text).toBe(granted.text);
      expect(sameFieldsOtherOrder.headers.get('idempotent-replayed')).toBe('true');
      expectError(
        await call(server, 'POST', path, {
          token: boss.token,
          headers: grantKey,
          body: { amount: 6, reason: 'x' },
        }),
        409,
        'IDEMPOTENCY_KEY_REUSED',
      );
      expectError(
        await call(server, 'POST', api(`/admin/players/${pilot.player.id}/credits`), {
          token: boss.token,
          headers: grantKey,
          body: { amount: 5, reason: 'x' },
        }),
        409,
        'IDEMPOTENCY_KEY_REUSED',
      );
      expect((await books(server, buyer.player.id)).balance).toBe(before.balance + 5);
    });

    it('a request refused by validation does not use up its key; keys belong to one player', async () => {
      const key = { 'idempotency-key': 'first-try-invalid' };
      expectInvalid(
        await call(server, 'POST', api('/shop/items/9/buy'), {
          token: buyer.token,
          headers: key,
          body: { expectedPrice: 'x' },
        }),
        'body/expectedPrice',
      );
      const valid = await call(server, 'POST', api('/shop/items/9/buy'), {
        token: buyer.token,
        headers: key,
      });
      expect(valid.status, valid.text).toBe(200);
      expect(valid.headers.get('idempotent-replayed')).toBeNull();

      const other = await register(server);
      await fund(server, other.player.id, 1_000_000);
      const theirs = await call(server, 'POST', api('/shop/items/9/buy'), {
        token: other.token,
        headers: key,
      });
      expect(theirs.status, theirs.text).toBe(200);
      expect(theirs.headers.get('idempotent-replayed')).toBeNull();
      expect(JSON.parse(theirs.text).transactionId).not.toBe(JSON.parse(valid.text).transactionId);
    });
  });

  it('after all of it, the pilot\u2019s books are untouched and balanced', async () => {
    await expectBooksUntouched(hostile);
  });
});
