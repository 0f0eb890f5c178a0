/**
 * Battles over real HTTP and WebSockets on every backend: the reads: hello's pending challenges, one
 * battle, the own list and the leaderboard, paged.
 */
import { type Battle } from '@metagameplay/protocol';
import { describe, expect, it } from 'vitest';
import { api, call } from '../helpers/http';
import { backends } from '../helpers/server';
import { WsClient } from '../helpers/ws';
import { battleFixture } from './fixture';

describe.each(backends)('battles: reads (%s)', (backend) => {
  const f = battleFixture(backend);
  const { pilot, post, challenge } = f;

  it('hello carries the pending challenges (both sides); the lists page; the leaderboard ranks', async () => {
    const a = await pilot(10_000);
    const b = await pilot(10_000);
    const battle = await challenge(a, b, 0);
    const again = await WsClient.connect(f.server.url, b.token);
    f.sockets.push(again);
    const hello = again.all('hello')[0];
    expect(hello?.pendingChallenges.map((p) => p.id)).toContain(battle.id);
    const mine = await WsClient.connect(f.server.url, a.token);
    f.sockets.push(mine);
    expect(mine.all('hello')[0]?.pendingChallenges.map((p) => p.id)).toContain(battle.id);

    // Own battles, newest first, a page at a time.
    for (let i = 0; i < 3; i++) {
      const c = await challenge(a, await pilot(0), 0);
      await post(a, `/battles/${c.id}/cancel`);
    }
    const seen: string[] = [];
    let cursor: string | null = null as string | null;
    do {
      const page: { status: number; text: string; body: { battles: Battle[]; nextCursor: string | null } } =
        await call(f.server, 'GET', api(`/battles?limit=2${cursor ? `&cursor=${cursor}` : ''}`), {
          token: a.token,
        });
      expect(page.status, page.text).toBe(200);
      seen.push(...page.body.battles.map((x: Battle) => x.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(4);
    expect(seen.at(-1)).toBe(battle.id);
    const bad = await call(f.server, 'GET', api('/battles?cursor=WyJ4IiwieSJd'), { token: a.token });
    expect([bad.status, bad.body.error.code]).toEqual([400, 'VALIDATION_ERROR']);

    // Leaderboard: by rating, then id; ranks run on across pages.
    const all: { rank: number; rating: number; id: string }[] = [];
    cursor = null;
    do {
      const page: { status: number; text: string; body: { players: typeof all; nextCursor: string | null } } =
        await call(f.server, 'GET', api(`/leaderboard?limit=7${cursor ? `&cursor=${cursor}` : ''}`), {
          token: a.token,
        });
      expect(page.status, page.text).toBe(200);
      all.push(...page.body.players);
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(all.map((p) => p.rank)).toEqual(all.map((_, i) => i + 1));
    const sorted = [...all].sort((x, y) => y.rating - x.rating || (x.id < y.id ? -1 : 1));
    expect(all.map((p) => p.id)).toEqual(sorted.map((p) => p.id));
    const badBoard = await call(f.server, 'GET', api('/leaderboard?cursor=WzEsIngiXQ'), { token: a.token });
    expect(badBoard.status).toBe(400);
  });
});
