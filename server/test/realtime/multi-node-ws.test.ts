// Real-time across nodes: two in-process server nodes and one server process on one Postgres and one
// PRIVATE redis-server, real WebSockets. Presence, events, the socket cap and logout reach a player
// whichever node holds its socket; a node SIGKILLed (no goodbye to Redis) loses its players from the
// lobby within 30 s with the default presence TTL. Postgres only.
import { randomUUID } from 'node:crypto';
import { type Battle, verifyBattle, WsCloseCode } from '@metagameplay/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, call, fund, register, type TestPlayer } from '../helpers/http';
import { createTestDatabase, sharedBackend, startServer, type TestServer } from '../helpers/server';
import { WsClient } from '../helpers/ws';
import { startServerNode } from '../helpers/process';
import { PrivateRedis, redisServerInstalled, waitFor } from '../infra/redis-helpers';

function pendingBattle(challengerId: string, opponentId: string): Battle {
  return {
    id: randomUUID(),
    challengerId,
    opponentId,
    stake: 250,
    status: 'pending',
    winnerId: null,
    challengerPower: null,
    opponentPower: null,
    seedHash: 'cd'.repeat(32),
    seed: null,
    challengerClientSeed: null,
    opponentClientSeed: null,
    baseStrength: 0,
    ratingChange: null,
    createdAt: new Date().toISOString(),
    expiresAt: new Date(Date.now() + 60_000).toISOString(),
    resolvedAt: null,
  };
}

describe.skipIf(!redisServerInstalled)('real-time across nodes (one Postgres, one Redis)', () => {
  let redis: PrivateRedis;
  let database: { url: string; drop(): Promise<void> };
  let n1: TestServer;
  let n2: TestServer;
  const sockets: WsClient[] = [];
  const connect = async (node: { url: string }, player: TestPlayer, by: 'header' | 'message' = 'header') => {
    const client = await WsClient.connect(node.url, player.token, by);
    sockets.push(client);
    return client;
  };
  const lobbyIds = async (node: TestServer, player: TestPlayer): Promise<string[]> => {
    const page = await call(node, 'GET', api('/lobby?limit=100'), { token: player.token });
    expect(page.status).toBe(200);
    return (page.body.players as { id: string }[]).map((p) => p.id);
  };

  beforeAll(async () => {
    redis = await PrivateRedis.start();
    database = await createTestDatabase();
    // The private Redis is ours alone: the default key prefix, as the server process below uses.
    const env = { REDIS_URL: redis.url };
    n1 = await startServer(sharedBackend, env, { databaseUrl: database.url });
    n2 = await startServer(sharedBackend, env, { databaseUrl: database.url });
  });

  afterAll(async () => {
    for (const socket of sockets) socket.socket.terminate();
    await n1?.close();
    await n2?.close();
    await database?.drop();
    await redis?.destroy();
  });

  it('shows a player on node 2 as online to a player on node 1: presence events, lobby, profile', async () => {
    const a = await register(n1);
    const b = await register(n1);
    const sa = await connect(n1, a);
    const sb = await connect(n2, b, 'message');
    await sa.next('presence', (m) => m.playerId === b.player.id && m.online);
    expect(await lobbyIds(n1, a)).toContain(b.player.id);
    expect(await lobbyIds(n2, b)).toContain(a.player.id);
    const profile = await call(n1, 'GET', api(`/players/${b.player.id}`), { token: a.token });
    expect(profile.body.online).toBe(true);
    await sb.close();
    await sa.next('presence', (m) => m.playerId === b.player.id && !m.online);
    expect(await lobbyIds(n1, a)).not.toContain(b.player.id);
  });

  it('delivers battle and balance events published on one node to sockets on the other', async () => {
    const a = await register(n1);
    const b = await register(n1);
    const sa = await connect(n1, a);
    const sb = await connect(n2, b);
    const battle = pendingBattle(a.player.id, b.player.id);
    await n1.ctx.bus.publish('battle.challenge', { battle });
    await n2.ctx.bus.publish('balance', { playerId: a.player.id, balance: 777 });
    expect((await sb.next('battle.challenge')).battle.id).toBe(battle.id);
    expect((await sa.next('battle.challenge')).battle.id).toBe(battle.id);
    expect((await sa.next('balance')).balance).toBe(777);
    expect(sb.all('balance')).toEqual([]);
  });

  it('a challenge made on node 1 to a player on node 2: events on both sides; accept on node 2 resolves it for both', async () => {
    const a = await register(n1);
    const b = await register(n1);
    await fund(n1, a.player.id, 5_000);
    await fund(n1, b.player.id, 5_000);
    const sa = await connect(n1, a);
    const sb = await connect(n2, b);
    const created = await call(n1, 'POST', api('/battles'), {
      token: a.token,
      body: { opponentId: b.player.id, stake: 1_000 },
    });
    expect(created.status, created.text).toBe(201);
    const id = created.body.battle.id as string;
    await sb.next('battle.challenge', (m) => m.battle.id === id);
    await sa.next('battle.challenge', (m) => m.battle.id === id);
    const accepted = await call(n2, 'POST', api(`/battles/${id}/accept`), { token: b.token });
    expect(accepted.status, accepted.text).toBe(200);
    const battle = accepted.body.battle as Battle;
    expect(verifyBattle(battle)).toMatchObject({ ok: true });
    for (const socket of [sa, sb]) {
      expect((await socket.next('battle.resolved', (m) => m.battle.id === id)).battle).toEqual(battle);
    }
    const aWon = battle.winnerId === a.player.id;
    const balanceA = a.loginBonus + 5_000 + (aWon ? 1_000 : -1_000);
    const balanceB = b.loginBonus + 5_000 + (aWon ? -1_000 : 1_000);
    await sa.next('balance', (m) => m.balance === balanceA);
    await sb.next('balance', (m) => m.balance === balanceB);
  });

  it('quick match pairs a player queued on node 1 with one queued on node 2', async () => {
    const a = await register(n1);
    const b = await register(n1);
    const sa = await connect(n1, a);
    const sb = await connect(n2, b);
    // Below the smallest login bonus (10 credits): both can always pay it.
    const stake = 100 + Math.floor(Math.random() * 900);
    expect((await call(n1, 'POST', api('/matchmaking'), { token: a.token, body: { stake } })).status).toBe(
      202,
    );
    expect((await call(n2, 'POST', api('/matchmaking'), { token: b.token, body: { stake } })).status).toBe(
      202,
    );
    const [ra, rb] = await Promise.all([sa.next('battle.resolved'), sb.next('battle.resolved')]);
    expect(ra.battle.id).toBe(rb.battle.id);
    expect([ra.battle.challengerId, ra.battle.opponentId].sort()).toEqual([a.player.id, b.player.id].sort());
    expect(ra.battle.stake).toBe(stake);
    expect(verifyBattle(ra.battle)).toMatchObject({ ok: true });
  });

  it('caps a player at 5 sockets over both nodes', async () => {
    const pilot = await register(n1);
    for (let i = 0; i < 3; i++) await connect(n1, pilot);
    for (let i = 0; i < 2; i++) await connect(n2, pilot);
    for (const node of [n1, n2]) {
      const extra = await WsClient.open(node.url, pilot.token);
      sockets.push(extra);
      expect((await extra.waitClosed()).code).toBe(WsCloseCode.TOO_MANY_SOCKETS);
    }
  });

  it('closes the sockets of a session logged out on the other node', async () => {
    const pilot = await register(n1);
    const onTwo = await connect(n2, pilot);
    const onOne = await connect(n1, pilot, 'message');
    expect((await call(n1, 'POST', api('/auth/logout'), { token: pilot.token })).status).toBe(204);
    expect((await onTwo.waitClosed()).code).toBe(WsCloseCode.SESSION_ENDED);
    expect((await onOne.waitClosed()).code).toBe(WsCloseCode.SESSION_ENDED);
  });

  it('drops the players of a SIGKILLed node from the lobby within 30 s', async () => {
    const node3 = await startServerNode({ DATABASE_URL: database.url, REDIS_URL: redis.url });
    const { url, exited } = node3;
    try {
      const watcher = await register(n1);
      const doomed = await register(n1);
      const watching = await connect(n1, watcher);
      const socket = await connect({ url }, doomed);
      await watching.next('presence', (m) => m.playerId === doomed.player.id && m.online);
      expect(await lobbyIds(n1, watcher)).toContain(doomed.player.id);

      const killedAt = Date.now();
      node3.child.kill('SIGKILL');
      await exited;
      await socket.waitClosed();
      await waitFor(async () => !(await lobbyIds(n1, watcher)).includes(doomed.player.id), 30_000);
      const gone = Date.now() - killedAt;
      await watching.next('presence', (m) => m.playerId === doomed.player.id && !m.online);
      console.info(`the killed node's player left the lobby ${gone} ms after the SIGKILL`);
      expect(gone).toBeLessThan(30_000);
      const profile = await call(n2, 'GET', api(`/players/${doomed.player.id}`), { token: watcher.token });
      expect(profile.body.online).toBe(false);
    } finally {
      if (node3.child.exitCode === null) node3.child.kill('SIGKILL');
    }
    // A process start compiles the server with tsx (up to a minute on a loaded machine), then 30 s at most.
  }, 240_000);

  it('re-announces its players at once when Redis comes back empty: challenges to them go through', async () => {
    // Nodes of their own whose presence tick is 20 s away: only the re-announce can bring the players back.
    const env = { REDIS_URL: redis.url, PRESENCE_TTL_MS: '60000' };
    const n3 = await startServer(sharedBackend, env, { databaseUrl: database.url });
    const n4 = await startServer(sharedBackend, env, { databaseUrl: database.url });
    try {
      const a = await register(n3);
      const b = await register(n3);
      const sa = await connect(n3, a);
      await connect(n4, b);
      await sa.next('presence', (m) => m.playerId === b.player.id && m.online);

      await redis.kill();
      await redis.wipe();
      await redis.restart();
      const backAt = Date.now();
      await waitFor(async () => {
        const answer = await call(n3, 'POST', api('/battles'), {
          token: a.token,
          body: { opponentId: b.player.id, stake: 0 },
        });
        if (answer.status === 201) return true;
        expect(answer.body.error.code, answer.text).toMatch(/OPPONENT_OFFLINE|SERVICE_UNAVAILABLE/);
        return false;
      }, 8_000);
      console.info(`a challenge went through ${Date.now() - backAt} ms after Redis came back empty`);
    } finally {
      await n3.close();
      await n4.close();
    }
  });
});
