/**
 * The live connection against a scripted ws server: both ways to authenticate, reconnect with
 * exponential backoff and jitter, re-auth and hello re-sync, the close codes that stop it, the ping
 * keepalive, invalid frames dropped, and every resolved battle re-checked with verifyBattle.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import {
  backoffDelay,
  ApiClient,
  connect,
  headerAuthSockets,
  REALTIME_EVENTS,
  type RealtimeConnection,
  type RealtimeEvent,
  type RealtimeEventMap,
  type RealtimeOptions,
  type SocketFactory,
  websocketUrl,
} from '../src/index';
import { json } from './fake-server';
import {
  type FakeWsServer,
  forged,
  hello,
  parseFrame,
  pendingBattle,
  resolvedBattle,
  send,
  startFakeWsServer,
  until,
} from './fake-ws-server';

let server: FakeWsServer;
let connection: RealtimeConnection | null = null;

beforeEach(async () => {
  server = await startFakeWsServer();
});

afterEach(async () => {
  connection?.close();
  connection = null;
  await server.close();
});

/** `ws` without headers: the browser's way (a first `auth` message). */
const messageAuthSockets: SocketFactory = (url) => ({ socket: new WebSocket(url), authInHeader: false });

function open(options: Partial<RealtimeOptions> = {}) {
  const events: Array<{ [E in RealtimeEvent]: [E, RealtimeEventMap[E]] }[RealtimeEvent]> = [];
  const c = connect({
    baseUrl: server.baseUrl,
    token: () => 'tok-1',
    sockets: headerAuthSockets(WebSocket),
    reconnect: { baseDelayMs: 20, maxDelayMs: 80 },
    random: () => 0.5,
    ...options,
  });
  for (const name of REALTIME_EVENTS) {
    c.on(name, (payload) => events.push([name, payload] as never));
  }
  connection = c;
  const of = <E extends RealtimeEvent>(name: E) =>
    events.filter((e) => e[0] === name).map((e) => e[1] as RealtimeEventMap[E]);
  return { connection: c, events, of };
}

describe('connect', () => {
  it('builds the ws URL from the server root', () => {
    expect(websocketUrl('http://127.0.0.1:8080/')).toBe('ws://127.0.0.1:8080/api/v1/ws');
    expect(websocketUrl('https://game.example')).toBe('wss://game.example/api/v1/ws');
  });

  it('authenticates by header in Node and hands on the hello state', async () => {
    const { of } = open();
    const first = await server.connection(1);
    expect(first.path).toBe('/api/v1/ws');
    expect(first.authorization).toBe('Bearer tok-1');
    send(first, hello(1500, [pendingBattle()]));
    await until(() => of('hello').length === 1);
    const state = of('hello')[0];
    expect(state?.balance).toBe(1500);
    expect(state?.pendingChallenges[0]?.verified).toBeNull();
    expect(of('status').at(-1)?.status).toBe('open');
  });

  it('authenticates by a first auth message where headers cannot be set (browsers)', async () => {
    open({ sockets: messageAuthSockets });
    const first = await server.connection(1);
    expect(first.authorization).toBeUndefined();
    await until(() => first.received.length > 0);
    expect(first.received[0]).toEqual({ type: 'auth', token: 'tok-1' });
  });

  it('reconnects with exponential backoff and jitter, then re-auths with the current token and re-syncs from hello', async () => {
    let token = 'tok-1';
    // The first three connections are dropped before any hello; the fourth is welcomed.
    server.onConnection = (c, n) => {
      if (n <= 3) c.socket.close(1011);
      else if (n === 4) send(c, hello(1500));
    };
    const { of } = open({ token: () => token });
    await until(() => of('hello').length === 1);
    const waits = of('status').flatMap((s) => (s.delayMs === undefined ? [] : [s.delayMs]));
    // base 20 ms doubling, capped at 80, equal jitter with random 0.5: 3/4 of each.
    expect(waits).toEqual([15, 30, 60]);
    expect(server.connections.map((c) => c.authorization)).toEqual(Array(4).fill('Bearer tok-1'));

    // A drop after hello starts the backoff afresh, with the token of now, and a new hello re-syncs.
    token = 'tok-2';
    server.onConnection = (c) => send(c, hello(900, [pendingBattle()]));
    server.connections[3]?.socket.close(1001);
    await until(() => of('hello').length === 2);
    expect(server.connections[4]?.authorization).toBe('Bearer tok-2');
    const lastWait = of('status')
      .flatMap((s) => (s.delayMs === undefined ? [] : [s.delayMs]))
      .at(-1);
    expect(lastWait).toBe(15);
    expect(of('hello')[1]?.balance).toBe(900);
    expect(of('hello')[1]?.pendingChallenges).toHaveLength(1);
  });

  it('re-sends the auth message on every reconnect', async () => {
    server.onConnection = (c, n) => {
      if (n === 1) c.socket.close(1001);
    };
    open({ sockets: messageAuthSockets });
    const second = await server.connection(2);
    await until(() => second.received.length > 0);
    expect(second.received[0]).toEqual({ type: 'auth', token: 'tok-1' });
  });

  it('waits half to all of the window before a reconnect, capped at the maximum', () => {
    const policy = { baseDelayMs: 500, maxDelayMs: 15_000 };
    expect(backoffDelay(1, policy, () => 0, 0.5)).toBe(250);
    expect(backoffDelay(1, policy, () => 0.999999, 0.5)).toBe(499);
    expect(backoffDelay(10, policy, () => 1, 0.5)).toBe(15_000);
    expect(backoffDelay(10, policy, () => 0, 0.5)).toBe(7500);
  });

  for (const [code, reason] of [
    [4001, 'session-expired'],
    [4003, 'session-expired'],
    [4008, 'too-many-sockets'],
  ] as const) {
    it(`stops for good on close code ${code} (${reason})`, async () => {
      server.onConnection = (c) => {
        send(c, hello());
        setTimeout(() => c.socket.close(code), 10);
      };
      const { of } = open();
      await until(() => of('stopped').length === 1);
      expect(of('stopped')[0]).toEqual({ reason, code });
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect(server.connections).toHaveLength(1);
      expect(of('status').at(-1)?.status).toBe('stopped');
    });
  }

  it('stops as session-expired without a token, opening nothing', async () => {
    const { of } = open({ token: () => null });
    await until(() => of('stopped').length === 1);
    expect(of('stopped')).toEqual([{ reason: 'session-expired', code: 4001 }]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(server.connections).toHaveLength(0);
  });

  it('pings, and keeps a connection whose server answers', async () => {
    server.onConnection = (c) => {
      send(c, hello());
      c.socket.on('message', (data) => {
        if ((parseFrame(data) as { type?: string }).type === 'ping') send(c, { type: 'pong' });
      });
    };
    open({ pingIntervalMs: 20, pongTimeoutMs: 40 });
    const first = await server.connection(1);
    // Four pings answered, each well within the pong timeout: still the first connection.
    await until(() => first.received.filter((m) => (m as { type: string }).type === 'ping').length >= 4);
    expect(server.connections).toHaveLength(1);
  });

  it('drops a silent peer after an unanswered ping and reconnects', async () => {
    server.onConnection = (c) => send(c, hello());
    const { of } = open({ pingIntervalMs: 20, pongTimeoutMs: 40 });
    await server.connection(2);
    await until(() => of('hello').length === 2);
  });

  it('drops frames that are not JSON or not valid server messages', async () => {
    server.onConnection = (c) => {
      send(c, hello());
      send(c, 'not json {');
      send(c, { type: 'balance', balance: 1.5 });
      send(c, { type: 'teleport', to: 'mars' });
      send(c, { type: 'presence', playerId: 'not-a-uuid', online: true });
      send(c, { ...resolvedBattle(), type: 'battle.resolved' });
      send(c, { type: 'balance', balance: 700 });
    };
    const { of } = open();
    await until(() => of('balance').length === 1);
    expect(of('balance')).toEqual([{ balance: 700 }]);
    expect(of('invalid')).toHaveLength(5);
    expect(of('presence')).toHaveLength(0);
    expect(of('battle.resolved')).toHaveLength(0);
  });

  it('hands on typed presence, challenge, cancel and server error events', async () => {
    const challenge = pendingBattle();
    server.onConnection = (c) => {
      send(c, hello());
      send(c, { type: 'presence', playerId: challenge.opponentId, online: true });
      send(c, { type: 'battle.challenge', battle: challenge });
      send(c, {
        type: 'battle.cancelled',
        battle: { ...challenge, status: 'declined', resolvedAt: '2026-11-30T12:00:09.000Z' },
      });
      send(c, { type: 'error', code: 'VALIDATION_ERROR', message: 'bad frame' });
    };
    const { of } = open();
    await until(() => of('error').length === 1);
    expect(of('presence')).toEqual([{ playerId: challenge.opponentId, online: true }]);
    expect(of('battle.challenge')[0]?.battle).toEqual({ ...challenge, verified: null });
    expect(of('battle.cancelled')[0]?.battle.status).toBe('declined');
    expect(of('error')[0]).toEqual({ code: 'VALIDATION_ERROR', message: 'bad frame' });
  });

  it('re-checks every resolved battle with verifyBattle and flags a forged one', async () => {
    const honest = resolvedBattle();
    const cheat = forged(resolvedBattle());
    const badSeed = { ...resolvedBattle(), seed: 'f'.repeat(64) };
    server.onConnection = (c) => {
      send(c, hello());
      for (const battle of [honest, cheat, badSeed]) send(c, { type: 'battle.resolved', battle });
    };
    const { of } = open();
    await until(() => of('battle.resolved').length === 3);
    expect(of('battle.resolved').map((e) => [e.battle.verified, e.battle.verifyFailure])).toEqual([
      [true, undefined],
      [false, 'winner_mismatch'],
      [false, 'seed_hash_mismatch'],
    ]);
    expect(of('unverified').map((e) => e.battle.id)).toEqual([cheat.id, badSeed.id]);
  });

  it('closes for good on close(): no reconnect', async () => {
    server.onConnection = (c) => send(c, hello());
    const { connection: c, of } = open();
    const first = await server.connection(1);
    await until(() => of('hello').length === 1);
    c.close();
    await first.closed;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(server.connections).toHaveLength(1);
    expect(of('stopped')).toEqual([{ reason: 'closed', code: 1000 }]);
  });

  it('ApiClient.connect uses the client server and its current token', async () => {
    const client = new ApiClient({
      baseUrl: server.baseUrl,
      token: 'tok-9',
      fetch: async () => json(200, {}),
    });
    connection = client.connect({ sockets: headerAuthSockets(WebSocket) });
    const first = await server.connection(1);
    expect(first.authorization).toBe('Bearer tok-9');
  });
});
