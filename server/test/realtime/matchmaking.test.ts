// Quick match through the real routes and sockets: who may join (online, with the stake), leaving by
// DELETE or by going offline, and the matcher handing a pair to the battle resolver (a recording stub
// here; the battles service resolves it in the app) or putting the one still online back in line.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MatchmakingService, type MatchResolver } from '../../src/features/battles/matchmaking.service';
import { api, call, fund, register, type TestPlayer } from '../helpers/http';
import { backends, startServer, type TestServer } from '../helpers/server';
import { WsClient } from '../helpers/ws';
import { waitFor } from '../infra/redis-helpers';

const backend = backends.includes('postgres') ? 'postgres' : backends[0];

describe('quick match', () => {
  let server: TestServer;
  const sockets: WsClient[] = [];
  const online = async (player: TestPlayer) => {
    const socket = await WsClient.connect(server.url, player.token);
    sockets.push(socket);
    return socket;
  };
  const join = (player: TestPlayer, stake: number) =>
    call(server, 'POST', api('/matchmaking'), { token: player.token, body: { stake } });

  beforeAll(async () => {
    if (!backend) throw new Error('no backend');
    // The queue's own rules under test: the server's matcher stands aside (its resolver is the battles
    // service; server/test/battles/quick-match.test.ts plays real quick matches), so pairs go to this test's matchers.
    server = await startServer(backend, {}, { resolveMatches: false });
  });
  /** A matcher of this test over the server's queue, presence and players. */
  const matcherWith = (resolver: MatchResolver) =>
    new MatchmakingService({
      presence: server.ctx.presence,
      matchQueue: server.ctx.matchQueue,
      players: server.ctx.services.players,
      resolver,
      log: server.ctx.log,
    });
  afterAll(async () => {
    for (const socket of sockets) socket.socket.terminate();
    await server?.close();
  });

  it('needs an open WebSocket and the stake', async () => {
    const pilot = await register(server);
    const offline = await join(pilot, 0);
    expect(offline.status).toBe(409);
    expect(offline.body.error.code).toBe('PLAYER_OFFLINE');
    await online(pilot);
    const poor = await join(pilot, pilot.player.balance + 1);
    expect(poor.status).toBe(409);
    expect(poor.body.error).toMatchObject({
      code: 'INSUFFICIENT_FUNDS',
      details: { balance: pilot.player.balance, required: pilot.player.balance + 1 },
    });
    expect((await join(pilot, -1)).status).toBe(400);
    expect((await join(pilot, 1.5)).status).toBe(400);
    expect(await server.ctx.matchQueue.entry(pilot.player.id)).toBeNull();
    expect((await call(server, 'POST', api('/matchmaking'), { body: { stake: 0 } })).status).toBe(401);
  });

  it('queues with 202 {queuedAt, stake} and leaves with 204', async () => {
    const pilot = await register(server);
    await online(pilot);
    const before = Date.now();
    const queued = await join(pilot, pilot.player.balance);
    expect(queued.status).toBe(202);
    expect(queued.body.stake).toBe(pilot.player.balance);
    expect(Date.parse(queued.body.queuedAt)).toBeGreaterThanOrEqual(before - 1);
    expect(await server.ctx.matchQueue.entry(pilot.player.id)).toMatchObject({
      stake: pilot.player.balance,
      rating: 1000,
    });
    const left = await call(server, 'DELETE', api('/matchmaking'), { token: pilot.token });
    expect(left.status).toBe(204);
    expect(await server.ctx.matchQueue.entry(pilot.player.id)).toBeNull();
    // Leaving twice is fine.
    expect((await call(server, 'DELETE', api('/matchmaking'), { token: pilot.token })).status).toBe(204);
  });

  it('takes a player who goes offline out of the queue', async () => {
    const pilot = await register(server);
    const first = await online(pilot);
    const second = await online(pilot);
    expect((await join(pilot, 0)).status).toBe(202);
    await first.close();
    expect(await server.ctx.matchQueue.entry(pilot.player.id)).not.toBeNull();
    await second.close();
    await waitFor(async () => (await server.ctx.matchQueue.entry(pilot.player.id)) === null, 5_000);
  });

  it('hands a pair with the same stake to the resolver; a pair member gone offline is dropped, the other waits on', async () => {
    const resolved: [string, string, number][] = [];
    const resolver: MatchResolver = {
      resolveMatched: (a, b, stake) => {
        resolved.push([a, b, stake]);
        return Promise.resolve();
      },
    };
    const matcher = matcherWith(resolver);
    const [a, b, c] = [await register(server), await register(server), await register(server)];
    for (const pilot of [a, b, c]) await fund(server, pilot.player.id, 10_000);
    await Promise.all([online(a), online(b)]);
    expect((await join(a, 5_000)).status).toBe(202);
    expect((await join(b, 5_000)).status).toBe(202);
    await matcher.matchAll();
    expect(resolved).toHaveLength(1);
    expect(resolved[0]?.slice(0, 2).sort()).toEqual([a.player.id, b.player.id].sort());
    expect(resolved[0]?.[2]).toBe(5_000);
    expect(await server.ctx.matchQueue.entry(a.player.id)).toBeNull();
    expect(await server.ctx.matchQueue.entry(b.player.id)).toBeNull();

    // c waits; d joins and drops its socket in a way the queue has not heard of yet.
    const d = await register(server);
    await fund(server, d.player.id, 10_000);
    await online(c);
    expect((await join(c, 7_000)).status).toBe(202);
    const queuedAt = (await server.ctx.matchQueue.entry(c.player.id))?.queuedAt;
    await server.ctx.matchQueue.join({
      playerId: d.player.id,
      stake: 7_000,
      rating: 1000,
      queuedAt: Date.now(),
    });
    await matcher.matchAll();
    expect(resolved).toHaveLength(1);
    expect(await server.ctx.matchQueue.entry(d.player.id)).toBeNull();
    expect((await server.ctx.matchQueue.entry(c.player.id))?.queuedAt).toBe(queuedAt);
  });
});
