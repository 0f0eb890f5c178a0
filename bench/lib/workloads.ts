/** Request sequences for autocannon: the buy+sell cycle, authenticated page reads, sign-ups. */
import { randomBytes } from 'node:crypto';
import type { RequestSpec } from 'autocannon';

export interface Player {
  token: string;
}

export interface CycleCounters {
  buys: number;
  sells: number;
  failedBuys: number;
  failedSells: number;
}

/**
 * One autocannon loop = one cycle: POST buy, then POST sell, of `itemId`, for a player taken from a free
 * list and put back after its sale, so no two connections ever use one player at the same time (no lock
 * waits, no ALREADY_OWNED) and every player of the list is used in turn. With `idempotent`, each request
 * carries a fresh Idempotency-Key, as the project's client sends.
 */
export function cycleRequests(
  players: Player[],
  itemId: number,
  options: { idempotent: boolean; free?: Player[] },
): { requests: RequestSpec[]; counters: CycleCounters } {
  if (players.length === 0) throw new Error('the cycle needs players');
  // A caller that cannot settle cut cycles between runs passes one free list to all of them: a player
  // left between its buy and its sale by a stopped run is then simply never handed out again.
  const free = options.free ?? [...players];
  const counters: CycleCounters = { buys: 0, sells: 0, failedBuys: 0, failedSells: 0 };
  let keys = 0;
  const run = randomBytes(6).toString('hex'); // keys are unique across runs, not only within one
  const headersFor = (player: Player): Record<string, string> => ({
    authorization: `Bearer ${player.token}`,
    ...(options.idempotent ? { 'idempotency-key': `bench-${run}-${++keys}` } : {}),
  });
  const requests: RequestSpec[] = [
    {
      method: 'POST',
      path: `/api/v1/shop/items/${itemId}/buy`,
      setupRequest(request, context) {
        // More connections than players: reuse one (its requests may then see 409s, counted as failures).
        const player = free.shift() ?? players[keys % players.length]!;
        context.player = player;
        return { ...request, headers: headersFor(player) };
      },
      onResponse(status) {
        if (status === 200) counters.buys++;
        else counters.failedBuys++;
      },
    },
    {
      method: 'POST',
      path: `/api/v1/me/items/${itemId}/sell`,
      setupRequest(request, context) {
        return { ...request, headers: headersFor(context.player as Player) };
      },
      onResponse(status, _body, context) {
        if (status === 200) counters.sells++;
        else counters.failedSells++;
        free.push(context.player as Player);
      },
    },
  ];
  return { requests, counters };
}

/** GET `path` as a different player each request (round robin over `players`). */
export function readRequests(players: Player[], path: string): RequestSpec[] {
  let next = 0;
  return [
    {
      method: 'GET',
      path,
      setupRequest(request) {
        const player = players[next++ % players.length]!;
        return { ...request, headers: { authorization: `Bearer ${player.token}` } };
      },
    },
  ];
}

/** Signs up `count` players over HTTP (argon2id hashing on the server), a few at a time. */
export async function registerPlayers(
  baseUrl: string,
  count: number,
  prefix: string,
  password: string,
): Promise<{ nickname: string; token: string }[]> {
  const out: { nickname: string; token: string }[] = [];
  const nicknames = Array.from({ length: count }, (_, i) => `${prefix}_${process.pid}_${i}`);
  for (let i = 0; i < nicknames.length; i += 4) {
    const chunk = nicknames.slice(i, i + 4);
    const answers = await Promise.all(
      chunk.map(async (nickname) => {
        const response = await fetch(`${baseUrl}/api/v1/auth/register`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ nickname, password }),
        });
        const body = (await response.json()) as { token?: string };
        if (response.status !== 201 || !body.token) {
          throw new Error(`register ${nickname}: ${response.status} ${JSON.stringify(body)}`);
        }
        return { nickname, token: body.token };
      }),
    );
    out.push(...answers);
  }
  return out;
}

/** The cheapest active item of a running server's catalog (the one the cycle trades). */
export async function cheapestItem(baseUrl: string): Promise<{ id: number; price: number }> {
  const response = await fetch(`${baseUrl}/api/v1/shop/items?limit=100`);
  const page = (await response.json()) as { items: { id: number; price: number }[] };
  const sorted = [...page.items].sort((a, b) => a.price - b.price || a.id - b.id);
  if (!sorted[0]) throw new Error('the shop is empty');
  return sorted[0];
}
