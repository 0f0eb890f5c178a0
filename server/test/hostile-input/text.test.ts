/**
 * Hostile input, text: nicknames and passwords out of their rules, names that are invisible or look like
 * a taken one (UTS #39), NUL characters, lone surrogates and bytes that are not UTF-8 — each refused
 * exactly, never altered. See hostile.ts for what every refusal must be.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../src/db/client';
import { backfillNicknameSkeletons } from '../../src/features/auth/auth.service';
import { api, call, register, type TestPlayer, uniqueNickname } from '../helpers/http';
import { rawHttp } from '../helpers/raw-http';
import { backends, type TestServer } from '../helpers/server';
import {
  expectError,
  expectInvalid,
  HELMET,
  type HostileServer,
  JSON_TYPE,
  openHostileServer,
} from './hostile';

describe.each(backends)('hostile input: text on %s', (backend) => {
  let hostile: HostileServer;
  let server: TestServer;
  let pilot: TestPlayer;
  let boss: TestPlayer;

  beforeAll(async () => {
    hostile = await openHostileServer(backend);
    ({ server, pilot, boss } = hostile);
  });
  afterAll(async () => {
    await hostile?.server.close();
  });

  describe('nicknames and passwords', () => {
    it.each([
      ['too short', 'ab'],
      ['too long (33)', 'n'.repeat(33)],
      ['empty', ''],
      ['with a space', 'two words'],
      ['with a tab', 'tab\there'],
      ['with an emoji', 'pilot😀x'],
      ['with markup', '<script>'],
      ['with dots', 'a.b.c'],
      ['with an apostrophe', "O'Brien"],
      ['with a slash', 'path/name'],
      ['with a NUL', 'nul\u0000name'],
      ['with a zero-width joiner', 'zero\u200dwidth'],
    ])('refuses a nickname %s', async (_label, nickname) => {
      for (const route of ['/auth/register', '/auth/login']) {
        const answer = await call(server, 'POST', api(route), {
          body: { nickname, password: 'long enough password' },
        });
        expectInvalid(answer, 'body/nickname');
      }
    });

    it.each([
      ['Cyrillic with a digit', 'Юрий_2'],
      ['Chinese', '李小龙'],
      ['accents and a hyphen', 'Ñandú-3'],
      ['Greek', 'Ἀχιλλεύς'],
      ['exactly 3 characters', 'Zed'],
      ['exactly 32 characters', `L${'x'.repeat(31)}`],
    ])('accepts a nickname in %s, and logs it in', async (_label, nickname) => {
      const created = await call(server, 'POST', api('/auth/register'), {
        body: { nickname, password: 'long enough password' },
      });
      expect(created.status, created.text).toBe(201);
      expect(created.body.player.nickname).toBe(nickname);
      const login = await call(server, 'POST', api('/auth/login'), {
        body: { nickname, password: 'long enough password' },
      });
      expect(login.status, login.text).toBe(200);
    });

    it('takes passwords of 8..128 characters only', async () => {
      for (const route of ['/auth/register', '/auth/login']) {
        for (const password of ['1234567', 'p'.repeat(129), '']) {
          const answer = await call(server, 'POST', api(route), {
            body: { nickname: uniqueNickname(), password },
          });
          expectInvalid(answer, 'body/password');
        }
      }
      for (const password of ['12345678', 'p'.repeat(128), 'пароль-из-юникода']) {
        const nickname = uniqueNickname();
        expect(
          (await call(server, 'POST', api('/auth/register'), { body: { nickname, password } })).status,
        ).toBe(201);
        expect(
          (await call(server, 'POST', api('/auth/login'), { body: { nickname, password } })).status,
        ).toBe(200);
      }
    });
  });

  describe('nicknames are identifiers (UTS #39)', () => {
    const password = 'long enough password';
    const registerAs = (nickname: string) =>
      call(server, 'POST', api('/auth/register'), { body: { nickname, password } });
    const digits = () => String(randomBytes(3).readUIntBE(0, 3)).padStart(8, '0');

    it('invisible names are refused', async () => {
      for (const nickname of ['\uFFA0\uFFA0\uFFA0', '\u3164\u3164\u3164gxeg', `ab\u200Dcd${digits()}`]) {
        expectError(await registerAs(nickname), 400, 'VALIDATION_ERROR');
      }
    });

    it('a name that looks like a taken one is refused: other script, other case, ß/SS, 1/l, 0/O', async () => {
      const tag = digits();
      expect((await registerAs(`Ripley${tag}`)).status).toBe(201);
      // Latin R, l with Cyrillic і р е у: mixed scripts.
      expectError(await registerAs(`R\u0456\u0440l\u0435\u0443${tag}`), 400, 'VALIDATION_ERROR');
      expectError(await registerAs(`RIPLEY${tag}`), 409, 'NICKNAME_TAKEN');
      expectError(await registerAs(`Rip1ey${tag}`), 409, 'NICKNAME_TAKEN');
      expect((await registerAs(`Stra\u00DFe${tag}`)).status).toBe(201);
      expectError(await registerAs(`STRASSE${tag}`), 409, 'NICKNAME_TAKEN');
      expect((await registerAs(`pop${tag}`)).status).toBe(201);
      // All Cyrillic (р о р), one script, but it looks like the Latin name.
      expectError(await registerAs(`\u0440\u043E\u0440${tag}`), 409, 'NICKNAME_TAKEN');
      expectError(await registerAs(`P0P${tag}`), 409, 'NICKNAME_TAKEN');
    });

    it('players from before the skeleton column get theirs at start-up: their look-alikes are refused', async () => {
      const tag = digits();
      const old = await register(server, `Ferro${tag}`);
      await server.ctx.database.db.execute(
        sql`UPDATE players SET nickname_skeleton = NULL WHERE id = ${old.player.id}`,
      );
      await backfillNicknameSkeletons(server.ctx.database.db, server.ctx.log);
      // Another nickname_key (digit zero), the same skeleton: refused only thanks to the backfill.
      expectError(await registerAs(`Ferr0${tag}`), 409, 'NICKNAME_TAKEN');
      const login = await call(server, 'POST', api('/auth/login'), {
        body: { nickname: old.nickname, password: old.password },
      });
      expect(login.status).toBe(200);
    });

    it('the start-up backfill: of two old look-alikes in one page the first keeps the skeleton, both log in', async () => {
      const tag = digits();
      const first = await register(server, `Vega${tag}`);
      const second = await register(server, `Wega${tag}`);
      // Make the second an old look-alike of the first (Cyrillic е), from before skeletons existed.
      const lookAlike = `V\u0435ga${tag}`;
      await server.ctx.database.db.execute(
        sql`UPDATE players SET nickname = ${lookAlike}, nickname_key = ${lookAlike.toLowerCase()} WHERE id = ${second.player.id}`,
      );
      await server.ctx.database.db.execute(
        sql`UPDATE players SET nickname_skeleton = NULL WHERE id IN (${first.player.id}, ${second.player.id})`,
      );
      await backfillNicknameSkeletons(server.ctx.database.db, server.ctx.log);
      const rows = rowsOf<{ id: string; skeleton: string | null }>(
        await server.ctx.database.db.execute(
          sql`SELECT id, nickname_skeleton AS skeleton FROM players WHERE id IN (${first.player.id}, ${second.player.id}) ORDER BY id`,
        ),
      );
      expect(rows.filter((row) => row.skeleton !== null)).toHaveLength(1);
      expect(rows[0]?.skeleton).not.toBeNull();
      for (const nickname of [first.nickname, lookAlike]) {
        const login = await call(server, 'POST', api('/auth/login'), {
          body: { nickname, password: first.password },
        });
        expect(login.status, login.text).toBe(200);
      }
    });

    it('names that need combining marks register: Devanagari, decomposed Vietnamese; CJK mixes allowed', async () => {
      const tag = digits();
      const hindi = await registerAs(`\u0928\u092E\u0938\u094D\u0924\u0947${tag}`);
      expect(hindi.status, hindi.text).toBe(201);
      const decomposed = `Nguye\u0302\u0303n${tag}`;
      const vietnamese = await registerAs(decomposed);
      expect(vietnamese.status, vietnamese.text).toBe(201);
      expect(vietnamese.body.player.nickname).toBe(decomposed.normalize('NFC'));
      expectError(await registerAs(decomposed.normalize('NFC')), 409, 'NICKNAME_TAKEN');
      const login = await call(server, 'POST', api('/auth/login'), {
        body: { nickname: decomposed.normalize('NFC'), password },
      });
      expect(login.status, login.text).toBe(200);
      for (const nickname of [
        `\u5C71\u7530\u30BF\u30ED\u30A6${tag}`,
        `\uAE40\u6C11\uC218${tag}`,
        `\u041F\u0438\u043B\u043E\u0442${tag}`,
      ]) {
        const answer = await registerAs(nickname);
        expect(answer.status, `${nickname}: ${answer.text}`).toBe(201);
      }
      // A combining mark with nothing to combine with is not a name.
      expectError(await registerAs(`\u0301abc${tag}`), 400, 'VALIDATION_ERROR');
    });
  });

  describe('text that is not text', () => {
    it('a NUL character anywhere is a 400', async () => {
      expectError(await call(server, 'GET', api('/shop/items?search=%00')), 400, 'VALIDATION_ERROR');
      expectError(await call(server, 'GET', api('/shop/items?search=a%00b')), 400, 'VALIDATION_ERROR');
      const nul = '\u0000';
      const cases: [string, string, unknown, string | undefined][] = [
        ['POST', '/auth/register', { nickname: `ab${nul}cd`, password: 'long enough password' }, undefined],
        ['POST', '/auth/register', { nickname: uniqueNickname(), password: `pass${nul}word` }, undefined],
        ['POST', '/auth/login', { nickname: pilot.nickname, password: `pass${nul}word` }, undefined],
        ['POST', '/admin/items', { name: `Ship${nul}`, price: 100, power: 1 }, boss.token],
        ['PATCH', `/admin/items/${HELMET}`, { name: `Helmet${nul}` }, boss.token],
        [
          'POST',
          `/admin/players/${pilot.player.id}/credits`,
          { amount: 5, reason: `gift${nul}` },
          boss.token,
        ],
      ];
      for (const [method, path, body, token] of cases) {
        const answer = await call(server, method, api(path), { body, token });
        expectError(answer, 400, 'VALIDATION_ERROR');
      }
    });

    it('lone surrogates are refused, not altered: pass\\ud800word never logs in as pass\\udfffword', async () => {
      const nickname = uniqueNickname();
      const registered = await call(server, 'POST', api('/auth/register'), {
        rawBody: `{"nickname":"${nickname}","password":"pass\\ud800word"}`,
        headers: JSON_TYPE,
      });
      expectError(registered, 400, 'VALIDATION_ERROR');
      for (const name of ['Ship\\udc00', 'Ship\\ud800\\ud800']) {
        expectError(
          await call(server, 'POST', api('/admin/items'), {
            rawBody: `{"name":"${name}","price":100,"power":1}`,
            headers: JSON_TYPE,
            token: boss.token,
          }),
          400,
          'VALIDATION_ERROR',
        );
      }
      // A well-formed pair (an emoji) is text like any other.
      const pair = await call(server, 'GET', api('/shop/items?search=%F0%9F%9A%80'));
      expect(pair.status, pair.text).toBe(200);
    });

    it('bytes that are not UTF-8 are refused in a JSON body and in the query string', async () => {
      const nickname = uniqueNickname();
      const body = Buffer.concat([
        Buffer.from(`{"nickname":"${nickname}","password":"pass`),
        Buffer.from([0xff, 0xfe]),
        Buffer.from('word"}'),
      ]);
      const answer = await rawHttp(server.url, 'POST', api('/auth/register'), {
        headers: ['Content-Type: application/json'],
        body,
      });
      expectError(answer, 400, 'VALIDATION_ERROR');
      expect(
        (
          await call(server, 'POST', api('/auth/login'), {
            body: { nickname, password: 'pass\ufffd\ufffdword' },
          })
        ).status,
      ).toBe(404);
      expectError(await call(server, 'GET', api('/shop/items?search=%FF')), 400, 'VALIDATION_ERROR');
      expectError(await call(server, 'GET', api('/shop/items?search=%ED%A0%80')), 400, 'VALIDATION_ERROR');
    });
  });
});
