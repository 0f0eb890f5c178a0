/**
 * The battle, lobby, leaderboard and matchmaking calls: paths, bodies, a random client seed by default,
 * one Idempotency-Key per battle move reused across retries, and verifyBattle on every battle answer.
 */
import { describe, expect, it } from 'vitest';
import { newClientSeed } from '../src/index';
import { apiError, connectionReset, empty, json, rejection, testClient } from './fake-server';
import { forged, pendingBattle, resolvedBattle } from './fake-ws-server';

const bodyOf = (request: { body: string | undefined } | undefined) =>
  request?.body === undefined ? undefined : (JSON.parse(request.body) as unknown);

describe('battle calls', () => {
  it('challenges with a random client seed and one idempotency key across retries', async () => {
    const battle = pendingBattle();
    let seeds = 0;
    const { client, requests } = testClient(
      [connectionReset(), apiError(503, 'SERVICE_UNAVAILABLE'), json(201, { battle })],
      { newClientSeed: () => `seed${++seeds}` },
    );
    const answer = await client.challenge(battle.opponentId, 500);
    expect(answer.battle).toEqual({ ...battle, verified: null });
    expect(requests.map((r) => `${r.method} ${r.url}`)).toEqual(
      Array(3).fill('POST http://game.test/api/v1/battles'),
    );
    expect(requests.map((r) => r.headers['idempotency-key'])).toEqual(['key-1', 'key-1', 'key-1']);
    // The body (with its seed) is the same on every retry, or the server would see a reused key.
    expect(requests.map(bodyOf)).toEqual(
      Array(3).fill({ opponentId: battle.opponentId, stake: 500, clientSeed: 'seed1' }),
    );
  });

  it('sends the caller seed and key when given', async () => {
    const { client, requests } = testClient([json(201, { battle: pendingBattle() })]);
    await client.challenge(pendingBattle().opponentId, 0, { clientSeed: 'mine', idempotencyKey: 'k' });
    expect(bodyOf(requests[0])).toMatchObject({ stake: 0, clientSeed: 'mine' });
    expect(requests[0]?.headers['idempotency-key']).toBe('k');
  });

  it('accepts with a random client seed and verifies the resolved battle', async () => {
    const battle = resolvedBattle();
    const { client, requests } = testClient([json(200, { battle })], { newClientSeed: () => 'acc' });
    const answer = await client.accept(battle.id);
    expect(requests[0]?.url).toBe(`http://game.test/api/v1/battles/${battle.id}/accept`);
    expect(bodyOf(requests[0])).toEqual({ clientSeed: 'acc' });
    expect(requests[0]?.headers['idempotency-key']).toBe('key-1');
    expect(answer.battle.verified).toBe(true);
  });

  it('flags a resolved battle that fails verifyBattle, in every answer that carries one', async () => {
    const cheat = forged(resolvedBattle());
    const honest = resolvedBattle();
    const { client } = testClient([
      json(200, { battle: cheat }),
      json(200, { battle: cheat }),
      json(200, { battles: [honest, cheat, pendingBattle()], nextCursor: 'c2' }),
    ]);
    const accepted = await client.accept(cheat.id);
    expect(accepted.battle).toMatchObject({ verified: false, verifyFailure: 'winner_mismatch' });
    expect((await client.getBattle(cheat.id)).battle.verified).toBe(false);
    const page = await client.listBattles({ limit: 3 });
    expect(page.battles.map((b) => b.verified)).toEqual([true, false, null]);
    expect(page.nextCursor).toBe('c2');
  });

  it('declines and cancels with an idempotency key and no body', async () => {
    const battle = { ...pendingBattle(), status: 'declined' as const };
    const { client, requests } = testClient([json(200, { battle }), json(200, { battle })]);
    await client.decline(battle.id);
    await client.cancel(battle.id, { idempotencyKey: 'again' });
    expect(requests.map((r) => `${r.method} ${r.url} ${r.headers['idempotency-key']} ${r.body}`)).toEqual([
      `POST http://game.test/api/v1/battles/${battle.id}/decline key-1 undefined`,
      `POST http://game.test/api/v1/battles/${battle.id}/cancel again undefined`,
    ]);
  });

  it('surfaces a refusal as an ApiError with its code', async () => {
    const { client } = testClient([apiError(409, 'OPPONENT_OFFLINE')]);
    expect(await rejection(client.challenge(pendingBattle().opponentId, 1))).toMatchObject({
      status: 409,
      code: 'OPPONENT_OFFLINE',
    });
  });

  it('pages the lobby, the leaderboard and own battles with limit and cursor', async () => {
    const { client, requests } = testClient([
      json(200, { players: [], nextCursor: null }),
      json(200, { players: [], nextCursor: null }),
      json(200, { battles: [], nextCursor: null }),
    ]);
    await client.lobby({ limit: 10, cursor: 'a' });
    await client.leaderboard({ cursor: 'b' });
    await client.listBattles();
    expect(requests.map((r) => r.url)).toEqual([
      'http://game.test/api/v1/lobby?limit=10&cursor=a',
      'http://game.test/api/v1/leaderboard?cursor=b',
      'http://game.test/api/v1/battles',
    ]);
  });

  it('joins and leaves the quick-match queue', async () => {
    const queued = { queuedAt: '2026-11-30T12:00:00.000Z', stake: 200 };
    const { client, requests } = testClient([json(202, queued), empty(204)]);
    expect(await client.joinMatchmaking(200)).toEqual(queued);
    await expect(client.leaveMatchmaking()).resolves.toBeUndefined();
    expect(requests.map((r) => `${r.method} ${r.url} ${r.body}`)).toEqual([
      'POST http://game.test/api/v1/matchmaking {"stake":200}',
      'DELETE http://game.test/api/v1/matchmaking undefined',
    ]);
  });

  it('draws client seeds that fit the protocol', () => {
    const a = newClientSeed();
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(newClientSeed()).not.toBe(a);
  });
});
