/**
 * A scripted stand-in for the game server's `/api/v1/ws` (a real `ws` server on a loopback port), and
 * battles built with the protocol's own outcome function, so verification is tested on true and on
 * forged results.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { type Battle, battleOutcome } from '@metagameplay/protocol';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';
import { privatePlayer } from './fake-server';

export interface FakeConnection {
  socket: WebSocket;
  /** The Authorization header of the upgrade, if any. */
  authorization: string | undefined;
  path: string | undefined;
  /** Parsed frames the client sent, in order. */
  received: unknown[];
  closed: Promise<void>;
}

export interface FakeWsServer {
  baseUrl: string;
  connections: FakeConnection[];
  /** Resolves with the n-th connection (1-based) once it is open. */
  connection(n: number): Promise<FakeConnection>;
  /** Called for each new connection; default: nothing (the test drives it). */
  onConnection: (connection: FakeConnection, index: number) => void;
  close(): Promise<void>;
}

export async function startFakeWsServer(): Promise<FakeWsServer> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('unexpected pipe address');
  const connections: FakeConnection[] = [];
  const waiters: Array<{ n: number; resolve: (c: FakeConnection) => void }> = [];
  const fake: FakeWsServer = {
    baseUrl: `http://127.0.0.1:${address.port}`,
    connections,
    connection: (n) =>
      new Promise((resolve) => {
        const existing = connections[n - 1];
        if (existing) resolve(existing);
        else waiters.push({ n, resolve });
      }),
    onConnection: () => undefined,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of server.clients) client.terminate();
        server.close(() => resolve());
      }),
  };
  server.on('connection', (socket: WebSocket, request: IncomingMessage) => {
    const received: unknown[] = [];
    socket.on('message', (data) => received.push(parseFrame(data)));
    const connection: FakeConnection = {
      socket,
      authorization: request.headers.authorization,
      path: request.url,
      received,
      closed: new Promise((resolve) => socket.once('close', () => resolve())),
    };
    connections.push(connection);
    fake.onConnection(connection, connections.length);
    for (const waiter of waiters.filter((w) => w.n === connections.length)) waiter.resolve(connection);
  });
  return fake;
}

export function send(connection: FakeConnection, message: unknown): void {
  connection.socket.send(typeof message === 'string' ? message : JSON.stringify(message));
}

export function hello(balance = 1500, pendingChallenges: Battle[] = []) {
  return { type: 'hello', player: { ...privatePlayer, balance }, balance, pendingChallenges };
}

export const OPPONENT_ID = '0b5c9a4e-2f57-4b8e-a1a7-3e6f0d9c8b21';

/** A battle resolved exactly as the server would: seed, hash and winner from the outcome function. */
export function resolvedBattle(overrides: Partial<Battle> = {}): Battle {
  const seed = randomBytes(32).toString('hex');
  const id = randomUUID();
  const challengerPower = 3;
  const opponentPower = 1;
  const outcome = battleOutcome({
    seed,
    battleId: id,
    challengerClientSeed: 'abc',
    opponentClientSeed: 'xyz',
    challengerPower,
    opponentPower,
  });
  return {
    id,
    challengerId: privatePlayer.id,
    opponentId: OPPONENT_ID,
    stake: 500,
    status: 'resolved',
    winnerId: outcome.challengerWins ? privatePlayer.id : OPPONENT_ID,
    challengerPower,
    opponentPower,
    seedHash: createHash('sha256').update(Buffer.from(seed, 'hex')).digest('hex'),
    seed,
    challengerClientSeed: 'abc',
    opponentClientSeed: 'xyz',
    baseStrength: 0,
    ratingChange: 16,
    createdAt: '2026-11-30T12:00:00.000Z',
    expiresAt: '2026-11-30T12:01:00.000Z',
    resolvedAt: '2026-11-30T12:00:05.000Z',
    ...overrides,
  };
}

/** The same battle with the other player named winner: what a cheating server would send. */
export function forged(battle: Battle): Battle {
  return {
    ...battle,
    winnerId: battle.winnerId === battle.challengerId ? battle.opponentId : battle.challengerId,
  };
}

export function pendingBattle(): Battle {
  const { seedHash, id, challengerId, opponentId, createdAt, expiresAt } = resolvedBattle();
  return {
    id,
    challengerId,
    opponentId,
    stake: 500,
    status: 'pending',
    winnerId: null,
    challengerPower: null,
    opponentPower: null,
    seedHash,
    seed: null,
    challengerClientSeed: 'abc',
    opponentClientSeed: null,
    baseStrength: 0,
    ratingChange: null,
    createdAt,
    expiresAt,
    resolvedAt: null,
  };
}

/** Resolves once `predicate` holds, polling; fails the test after `timeoutMs`. */
export async function until(predicate: () => boolean, timeoutMs = 3000): Promise<void> {
  const started = Date.now();
  while (!predicate()) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** A client frame as JSON (the client sends text frames only). */
export function parseFrame(data: RawData): unknown {
  const chunks = Array.isArray(data) ? data : [data];
  const text = Buffer.concat(chunks.map((chunk) => new Uint8Array(chunk))).toString('utf8');
  return JSON.parse(text) as unknown;
}
