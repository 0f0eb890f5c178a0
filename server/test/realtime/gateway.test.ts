// The WebSocket gateway over real sockets (`ws` client) against a real server: both ways of
// authenticating, the auth timeout, validation of every client message, the socket cap, logout closing a
// session's sockets, presence events, the lobby and `online`, bus events reaching sockets, dead peers and
// slow consumers.
import { randomUUID } from 'node:crypto';
import { type Battle, WsCloseCode } from '@metagameplay/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, call, register, type TestPlayer } from '../helpers/http';
import { backends, sharedBackend, startServer, type TestServer } from '../helpers/server';
import { WsClient } from '../helpers/ws';
import { sleep, waitFor } from '../infra/redis-helpers';

const backend = backends.includes('postgres') ? 'postgres' : backends[0];
const AUTH_TIMEOUT_MS = 400;

function fakeBattle(challengerId: string, opponentId: string, padding = 0): Battle {
  return {
    id: randomUUID(),
    challengerId,
    opponentId,
    stake: 100,
    status: 'pending',
    winnerId: null,
    challengerPower: null,
    opponentPower: null,
    seedHash: 'ab'.repeat(32),
    seed: null,
    challengerClientSeed: padding > 0 ? 'x'.repeat(Math.min(64, padding)) : null,
    opponentClientSeed: null,
    baseStrength: 0,
    ratingChange: null,
    createdAt: new Date().toISOString(),
    expiresAt: new Date(Date.now() + 60_000).toISOString(),
    resolvedAt: null,
  };
}

describe('WebSocket gateway', () => {
  let server: TestServer;
  const open: WsClient[] = [];
  const connect = async (player: TestPlayer, by: 'header' | 'message' = 'header') => {
    const client = await WsClient.connect(server.url, player.token, by);
    open.push(client);
    return client;
  };

  beforeAll(async () => {
    if (!backend) throw new Error('no backend');
    server = await startServer(backend, {
      WS_AUTH_TIMEOUT_MS: String(AUTH_TIMEOUT_MS),
      WS_MAX_BUFFERED_BYTES: String(64 * 1024),
    });
  });
  afterAll(async () => {
    for (const client of open) client.socket.terminate();
    await server?.close();
  });

  it('authenticates by the Authorization header and says hello with the current state', async () => {
    const pilot = await register(server);
    const client = await connect(pilot);
    const hello = await client.next('hello');
    expect(hello.player.id).toBe(pilot.player.id);
    expect(hello.balance).toBe(pilot.player.balance);
    expect(hello.pendingChallenges).toEqual([]);
    client.send({ type: 'ping' });
    await client.next('pong');
  });

  it('refuses a bad bearer header before the upgrade (401)', async () => {
    await expect(WsClient.open(server.url, 'not-a-valid-token-at-all-0000')).rejects.toMatchObject({
      statusCode: 401,
    });
  });

  it('authenticates by a first auth message (browsers), and refuses a bad one', async () => {
    const pilot = await register(server);
    const client = await connect(pilot, 'message');
    expect((await client.next('hello')).player.nickname).toBe(pilot.nickname);

    const bad = await WsClient.open(server.url);
    open.push(bad);
    bad.send({ type: 'auth', token: 'x'.repeat(43) });
    expect((await bad.next('error')).code).toBe('UNAUTHENTICATED');
    expect((await bad.waitClosed()).code).toBe(WsCloseCode.UNAUTHENTICATED);
    expect(bad.all('hello')).toEqual([]);
  });

  it('closes a socket that does not authenticate within the timeout', async () => {
    const started = Date.now();
    const client = await WsClient.open(server.url);
    open.push(client);
    const closed = await client.waitClosed();
    const elapsed = Date.now() - started;
    expect(closed.code).toBe(WsCloseCode.UNAUTHENTICATED);
    expect((await client.next('error')).code).toBe('UNAUTHENTICATED');
    expect(elapsed).toBeGreaterThanOrEqual(AUTH_TIMEOUT_MS - 50);
    expect(elapsed).toBeLessThan(AUTH_TIMEOUT_MS + 2_000);
  });

  it('answers invalid messages with error frames and stays up', async () => {
    const pilot = await register(server);
    const before = await WsClient.open(server.url);
    open.push(before);
    before.send({ type: 'ping' });
    expect((await before.next('error')).code).toBe('UNAUTHENTICATED');
    before.send({ type: 'auth', token: pilot.token });
    await before.next('hello');

    const client = await connect(pilot);
    const bad = ['not json', '[]', '{"type":"nope"}', '{"type":"ping","extra":1}', '{"type":"auth"}', 'null'];
    for (const text of bad) client.send(text);
    client.socket.send(Buffer.from([1, 2, 3]), { binary: true });
    client.send({ type: 'auth', token: pilot.token }); // already authenticated
    await waitFor(() => client.all('error').length === bad.length + 2);
    expect(client.all('error').every((e) => e.code === 'VALIDATION_ERROR')).toBe(true);
    client.send({ type: 'ping' });
    await client.next('pong');
    expect(client.closed).toBeNull();
  });

  it('refuses a 6th socket of one player, and takes one again after a close', async () => {
    const pilot = await register(server);
    const five = await Promise.all(Array.from({ length: 5 }, () => connect(pilot)));
    const sixth = await WsClient.open(server.url, pilot.token);
    open.push(sixth);
    expect((await sixth.next('error')).code).toBe('TOO_MANY_SOCKETS');
    expect((await sixth.waitClosed()).code).toBe(WsCloseCode.TOO_MANY_SOCKETS);
    expect(sixth.all('hello')).toEqual([]);
    await five[0]?.close();
    await connect(pilot);
  });

  it("closes a session's sockets at logout, and only that session's", async () => {
    const pilot = await register(server);
    const login = await call(server, 'POST', api('/auth/login'), {
      body: { nickname: pilot.nickname, password: pilot.password },
    });
    const other = { ...pilot, token: login.body.token as string };
    const [a, b] = [await connect(pilot), await connect(pilot, 'message')];
    const c = await connect(other);
    expect((await call(server, 'POST', api('/auth/logout'), { token: pilot.token })).status).toBe(204);
    expect((await a.waitClosed()).code).toBe(WsCloseCode.SESSION_ENDED);
    expect((await b.waitClosed()).code).toBe(WsCloseCode.SESSION_ENDED);
    c.send({ type: 'ping' });
    await c.next('pong');
    expect(c.closed).toBeNull();
  });

  it('tracks presence: events to others, the lobby, and online in public profiles', async () => {
    const watcher = await register(server);
    const pilot = await register(server);
    const watching = await connect(watcher);
    const profile = () => call(server, 'GET', api(`/players/${pilot.player.id}`), { token: watcher.token });
    expect((await profile()).body.online).toBe(false);

    const first = await connect(pilot);
    const second = await connect(pilot);
    await watching.next('presence', (m) => m.playerId === pilot.player.id && m.online);
    expect((await profile()).body.online).toBe(true);
    const lobby = await call(server, 'GET', api('/lobby?limit=100'), { token: watcher.token });
    expect(lobby.status).toBe(200);
    const ids = (lobby.body.players as { id: string }[]).map((p) => p.id);
    expect(ids).toContain(pilot.player.id);
    expect(ids).not.toContain(watcher.player.id);
    expect(lobby.body.players.find((p: { id: string }) => p.id === pilot.player.id)).toMatchObject({
      nickname: pilot.nickname,
      power: 0,
      rating: 1000,
      online: true,
    });

    // The server's own count of the pilot's sockets: the close of the first one is awaited, not slept on.
    const presence = server.ctx.presence;
    const disconnect = presence.disconnect.bind(presence);
    const firstGone = new Promise<boolean>((resolve) => {
      presence.disconnect = async (playerId) => {
        const offline = await disconnect(playerId);
        if (playerId === pilot.player.id) resolve(offline);
        return offline;
      };
    });
    try {
      await first.close();
      expect(await firstGone).toBe(false); // one socket left: still online
    } finally {
      presence.disconnect = disconnect;
    }
    expect((await profile()).body.online).toBe(true);
    await second.close();
    await watching.next('presence', (m) => m.playerId === pilot.player.id && !m.online);
    expect((await profile()).body.online).toBe(false);
    // Its own presence is not echoed to the player itself.
    expect(first.all('presence').some((m) => m.playerId === pilot.player.id)).toBe(false);
  });

  it('pages the lobby by id', async () => {
    const me = await register(server);
    const others = await Promise.all(Array.from({ length: 5 }, () => register(server)));
    await connect(me);
    for (const other of others) await connect(other);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `limit=2&cursor=${cursor}` : 'limit=2';
      const page = await call(server, 'GET', api(`/lobby?${query}`), { token: me.token });
      expect(page.status).toBe(200);
      expect(page.body.players.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.players.map((p: { id: string }) => p.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...seen].sort());
    expect(new Set(seen).size).toBe(seen.length);
    for (const other of others) expect(seen).toContain(other.player.id);
    expect(seen).not.toContain(me.player.id);
    expect((await call(server, 'GET', api('/lobby?cursor=!!'), { token: me.token })).status).toBe(400);
    expect((await call(server, 'GET', api('/lobby'))).status).toBe(401);
  });

  it('forwards bus events to the sockets of the players they name, and drops invalid ones', async () => {
    const a = await register(server);
    const b = await register(server);
    const bystander = await register(server);
    const [sa, sb, sc] = [await connect(a), await connect(b), await connect(bystander)];
    const battle = fakeBattle(a.player.id, b.player.id);
    await server.ctx.bus.publish('battle.challenge', { battle });
    await server.ctx.bus.publish('balance', { playerId: a.player.id, balance: 4242 });
    await server.ctx.bus.publish('balance', { playerId: a.player.id, balance: -1 }); // invalid: dropped
    await server.ctx.bus.publish('battle.cancelled', { battle: { ...battle, status: 'cancelled' } });
    expect((await sa.next('battle.challenge')).battle).toEqual(battle);
    expect((await sb.next('battle.challenge')).battle).toEqual(battle);
    expect((await sa.next('balance')).balance).toBe(4242);
    await sb.next('battle.cancelled');
    await sa.next('battle.cancelled');
    expect(sa.all('balance')).toHaveLength(1);
    expect(sb.all('balance')).toEqual([]);
    expect(sc.all('battle.challenge')).toEqual([]);
  });

  it('disconnects a slow consumer instead of buffering without limit', async () => {
    const pilot = await register(server);
    const client = await connect(pilot);
    client.socket.pause(); // reads nothing from now on
    const started = Date.now();
    const battle = fakeBattle(pilot.player.id, randomUUID(), 64);
    for (let round = 0; round < 200 && (await server.ctx.presence.isOnline(pilot.player.id)); round++) {
      for (let i = 0; i < 500; i++) await server.ctx.bus.publish('battle.challenge', { battle });
      await sleep(10);
    }
    expect(await server.ctx.presence.isOnline(pilot.player.id)).toBe(false);
    // Well before any heartbeat (10 s by default) could have dropped it.
    expect(Date.now() - started).toBeLessThan(8_000);
    client.socket.resume();
    expect((await client.waitClosed()).code).not.toBe(1000);
  });
});

describe('WebSocket heartbeats', () => {
  let server: TestServer;
  beforeAll(async () => {
    if (!backend) throw new Error('no backend');
    server = await startServer(backend, { WS_HEARTBEAT_MS: '200' });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('keeps a live peer and drops one that stops answering pings', async () => {
    const live = await register(server);
    const dead = await register(server);
    const liveSocket = await WsClient.connect(server.url, live.token);
    // Three heartbeats answered (the ws client pongs by itself) rather than a sleep of three periods.
    const threePings = new Promise<void>((resolve) => {
      let pings = 0;
      liveSocket.socket.on('ping', () => {
        if (++pings === 3) resolve();
      });
    });
    const deadSocket = await WsClient.connect(server.url, dead.token);
    deadSocket.socket.pause(); // a vanished peer: no pongs
    const started = Date.now();
    await waitFor(async () => !(await server.ctx.presence.isOnline(dead.player.id)), 5_000);
    expect(Date.now() - started).toBeLessThan(2_000);
    await threePings;
    expect(await server.ctx.presence.isOnline(live.player.id)).toBe(true);
    expect(liveSocket.closed).toBeNull();
    liveSocket.socket.terminate();
    deadSocket.socket.terminate();
  });

  it('closes every socket with 1001 (going away) when the server shuts down', async () => {
    const own = await startServer(sharedBackend);
    const pilot = await register(own);
    const socket = await WsClient.connect(own.url, pilot.token);
    await own.close();
    expect(await socket.waitClosed()).toMatchObject({ code: 1001, reason: 'server going away' });
  });
});
