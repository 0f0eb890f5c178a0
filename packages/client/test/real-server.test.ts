/**
 * The client against the real server (the app in process, on the run's embedded Postgres): two pilots'
 * clients, each with its live connection. A challenge and its accept reach both sides as events; both
 * receive `battle.resolved` with the battle re-checked by `verifyBattle` and `balance` events that end
 * on the balances the server reports. A connection whose socket drops authenticates again by itself and
 * re-syncs from `hello`: the challenge and the balance change it missed while away are in it. A logout
 * ends the live connection for good (`session-expired`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startServer, type TestServer } from '../../../server/test/helpers/server';
import {
  ApiClient,
  type HeaderWebSocketConstructor,
  headerAuthSockets,
  REALTIME_EVENTS,
  type RealtimeConnection,
  type RealtimeEvent,
  type RealtimeEventMap,
  type SocketEvent,
  type SocketFactory,
  type WebSocketLike,
} from '../src/index';

/** Every event a connection emits, in order, and a way to wait for one. */
class Recorder {
  readonly events: { event: RealtimeEvent; payload: unknown }[] = [];

  constructor(readonly connection: RealtimeConnection) {
    for (const event of REALTIME_EVENTS)
      connection.on(event, (payload) => this.events.push({ event, payload }));
  }

  all<E extends RealtimeEvent>(event: E): RealtimeEventMap[E][] {
    return this.events.filter((e) => e.event === event).map((e) => e.payload as RealtimeEventMap[E]);
  }

  /** The first `event` matching `where` (already received or within `timeoutMs`), after `skip` of them. */
  async next<E extends RealtimeEvent>(
    event: E,
    where: (payload: RealtimeEventMap[E]) => boolean = () => true,
    timeoutMs = 10_000,
  ): Promise<RealtimeEventMap[E]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.all(event).find(where);
      if (found !== undefined) return found;
      if (Date.now() > deadline) {
        throw new Error(`no ${event} within ${timeoutMs} ms; got ${JSON.stringify(this.events)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

/**
 * Sockets of the `ws` package authenticated by a first `auth` message (as browsers do), each opened only
 * once `gate` lets it: the test holds the connection away from the server while things happen.
 */
class HeldSockets {
  readonly opened: WebSocket[] = [];
  private release: Promise<void> = Promise.resolve();
  private open: () => void = () => undefined;

  hold(): void {
    this.release = new Promise((resolve) => {
      this.open = resolve;
    });
  }

  letGo(): void {
    this.open();
  }

  readonly factory: SocketFactory = (url) => {
    const listeners: [Parameters<WebSocketLike['addEventListener']>[0], (event: SocketEvent) => void][] = [];
    let real: WebSocket | null = null;
    let closedEarly = false;
    void this.release.then(() => {
      if (closedEarly) return;
      real = new WebSocket(url);
      this.opened.push(real);
      for (const [type, listener] of listeners) real.addEventListener(type, listener as never);
    });
    const socket: WebSocketLike = {
      get readyState() {
        return real?.readyState ?? WebSocket.CONNECTING;
      },
      send: (data) => real?.send(data),
      close: (code) => {
        if (real === null) closedEarly = true;
        else real.close(code);
      },
      addEventListener: (type, listener) => {
        listeners.push([type, listener]);
        real?.addEventListener(type, listener as never);
      },
    };
    return { socket, authInHeader: false };
  };
}

const headerSockets = headerAuthSockets(WebSocket as unknown as HeaderWebSocketConstructor);
const fastReconnect = { baseDelayMs: 50, maxDelayMs: 200 };
const password = 'correct-horse-42';
const stamp = Date.now().toString(36);

let server: TestServer;
const connections: RealtimeConnection[] = [];

async function pilot(name: string): Promise<{ api: ApiClient; id: string; nickname: string }> {
  const api = new ApiClient({ baseUrl: server.url });
  const nickname = `${name}_${stamp}`;
  const session = await api.register(nickname, password);
  return { api, id: session.player.id, nickname };
}

function live(api: ApiClient, sockets: SocketFactory = headerSockets): Recorder {
  const connection = api.connect({ sockets, reconnect: fastReconnect });
  connections.push(connection);
  return new Recorder(connection);
}

beforeAll(async () => {
  server = await startServer('embedded');
});

afterAll(async () => {
  for (const connection of connections) connection.close();
  await server?.close();
});

describe('the client against the real server', () => {
  it('challenge and accept: both sides get the challenge, a verified battle.resolved and their balances', async () => {
    const ann = await pilot('ann');
    const bob = await pilot('bob');
    const annLive = live(ann.api);
    const bobLive = live(bob.api);
    const annStart = (await annLive.next('hello')).balance;
    const bobStart = (await bobLive.next('hello')).balance;
    expect(annStart).toBe((await ann.api.balance()).balance);
    // The lobby sees the other pilot once both sockets are up.
    await expect(ann.api.lobby()).resolves.toMatchObject({ players: [{ id: bob.id }] });

    const stake = 500;
    const { battle: challenge } = await ann.api.challenge(bob.id, stake);
    expect(challenge).toMatchObject({ status: 'pending', verified: null, seed: null });
    // The stake left Ann's balance at once, and her socket says so.
    await annLive.next('balance', ({ balance }) => balance === annStart - stake);
    const offered = await bobLive.next('battle.challenge', ({ battle }) => battle.id === challenge.id);
    expect(offered.battle).toMatchObject({ challengerId: ann.id, stake, verified: null });

    const { battle: accepted } = await bob.api.accept(challenge.id);
    expect(accepted).toMatchObject({ id: challenge.id, status: 'resolved', verified: true });
    for (const side of [annLive, bobLive]) {
      const { battle } = await side.next('battle.resolved', (e) => e.battle.id === challenge.id);
      // Re-checked by verifyBattle on arrival: the seed is revealed, hashes to seedHash, names the winner.
      expect(battle).toMatchObject({ status: 'resolved', verified: true, winnerId: accepted.winnerId });
      expect(battle.seed).toMatch(/^[0-9a-f]{64}$/);
      expect(battle.challengerClientSeed).toBeTruthy();
      expect(battle.opponentClientSeed).toBeTruthy();
    }
    expect(annLive.all('unverified')).toEqual([]);
    expect(bobLive.all('unverified')).toEqual([]);

    // Both balances as the server has them now, each announced over its socket: the winner gains the
    // loser's stake.
    const annWon = accepted.winnerId === ann.id;
    const annEnd = (await ann.api.balance()).balance;
    const bobEnd = (await bob.api.balance()).balance;
    expect(annEnd).toBe(annStart + (annWon ? stake : -stake));
    expect(bobEnd).toBe(bobStart + (annWon ? -stake : stake));
    await annLive.next('balance', ({ balance }) => balance === annEnd);
    await bobLive.next('balance', ({ balance }) => balance === bobEnd);
    // The battle lists agree and verify too.
    const { battles } = await bob.api.listBattles();
    expect(battles).toMatchObject([{ id: challenge.id, verified: true }]);
  });

  it('a dropped connection authenticates again and re-syncs what it missed from hello', async () => {
    const ann = await pilot('cat');
    const bob = await pilot('dan');
    const annLive = live(ann.api);
    const held = new HeldSockets();
    const bobLive = live(bob.api, held.factory);
    await annLive.next('hello');
    await bobLive.next('hello');
    expect(held.opened).toHaveLength(1);

    // Bob's socket dies; his connection's next socket is held back while the world moves on.
    held.hold();
    held.opened[0]!.terminate();
    await bobLive.next('status', ({ status }) => status === 'reconnecting');
    // Bob logs in elsewhere (a login bonus: his balance changes) and that window keeps him online …
    const bobElsewhere = new ApiClient({ baseUrl: server.url });
    await bobElsewhere.login(bob.nickname, password);
    const otherWindow = live(bobElsewhere);
    await otherWindow.next('hello');
    // … so Ann can challenge him; the held connection misses the event.
    const { battle: challenge } = await ann.api.challenge(bob.id, 100);
    await otherWindow.next('battle.challenge', ({ battle }) => battle.id === challenge.id);
    expect(bobLive.all('battle.challenge')).toEqual([]);
    const bobBalance = (await bob.api.balance()).balance;
    expect(bobLive.all('hello').map((h) => h.balance)).not.toContain(bobBalance);

    // The connection comes back by itself, authenticates with its first message, and its hello
    // carries both: the pending challenge (checked) and the current balance.
    held.letGo();
    const hello = await bobLive.next('hello', (h) => h.pendingChallenges.length > 0);
    expect(bobLive.all('hello')).toHaveLength(2);
    expect(held.opened).toHaveLength(2);
    expect(hello.balance).toBe(bobBalance);
    expect(hello.pendingChallenges).toMatchObject([
      { id: challenge.id, challengerId: ann.id, stake: 100, status: 'pending', verified: null },
    ]);
    expect(bobLive.connection.currentStatus).toBe('open');

    // And it is live again: accepting from the re-synced state resolves to a verified battle on both.
    await bob.api.accept(challenge.id);
    await annLive.next(
      'battle.resolved',
      ({ battle }) => battle.id === challenge.id && battle.verified === true,
    );
    await bobLive.next(
      'battle.resolved',
      ({ battle }) => battle.id === challenge.id && battle.verified === true,
    );
  });

  it('a logout ends the live connection for good', async () => {
    const eve = await pilot('eve');
    const eveLive = live(eve.api);
    await eveLive.next('hello');
    await eve.api.logout();
    await expect(eveLive.next('stopped')).resolves.toMatchObject({ reason: 'session-expired' });
    expect(eveLive.connection.currentStatus).toBe('stopped');
  });
});
