/**
 * Property: whatever random batches of concurrent buys, sells, replays and grants several players fire,
 * every player ends with balance = Σ ledger ≥ 0, the money the responses report adds up to that balance,
 * and the inventory is exactly the items bought and not sold since.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, books, call, fund, register, type TestPlayer } from './helpers/http';
import { backends, startServer, type TestServer } from './helpers/server';

type Op =
  | { kind: 'buy'; player: number; item: number; key: string | null }
  | { kind: 'sell'; player: number; item: number; key: string | null }
  | { kind: 'grant'; player: number; amount: number };

const PLAYERS = 3;
const ITEMS = [1, 3, 4, 5, 7, 12, 13, 15]; // a mix of cheap and dear catalog items

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('buy' as const),
    player: fc.nat(PLAYERS - 1),
    item: fc.constantFrom(...ITEMS),
    key: fc.option(fc.constantFrom('k1', 'k2', 'k3'), { nil: null }),
  }),
  fc.record({
    kind: fc.constant('sell' as const),
    player: fc.nat(PLAYERS - 1),
    item: fc.constantFrom(...ITEMS),
    key: fc.option(fc.constantFrom('k1', 'k2', 'k3'), { nil: null }),
  }),
  fc.record({
    kind: fc.constant('grant' as const),
    player: fc.nat(PLAYERS - 1),
    amount: fc.integer({ min: 1, max: 200_000 }),
  }),
);

describe.each(backends)('money invariants on %s', (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer(backend);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('hold over random concurrent workloads', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(opArb, { minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 5 }),
        async (batches) => {
          const players: TestPlayer[] = [];
          for (let i = 0; i < PLAYERS; i++) players.push(await register(server));
          const expected = players.map((p) => p.loginBonus);
          const owned = players.map(() => new Map<number, number>()); // item → successful buys − sells
          // A key belongs to one request of its player: every other request with it must be refused.
          const keyUse = players.map(() => new Map<string, string>());
          let run = 0;
          for (const batch of batches) {
            run++;
            const answers = await Promise.all(
              batch.map(async (op) => {
                const pilot = players[op.player]!;
                if (op.kind === 'grant') {
                  await fund(server, pilot.player.id, op.amount);
                  return { op, status: 200, body: { amount: op.amount }, replayed: false };
                }
                const path =
                  op.kind === 'buy' ? api(`/shop/items/${op.item}/buy`) : api(`/me/items/${op.item}/sell`);
                const key = op.key === null ? null : `${op.key}-${run}`;
                const answer = await call(server, 'POST', path, {
                  token: pilot.token,
                  headers: key ? { 'idempotency-key': key } : {},
                });
                if (key && answer.body?.error?.code !== 'IDEMPOTENCY_KEY_REUSED') {
                  // Whichever request the server saw first owns the key; all others must have been refused.
                  const owner = keyUse[op.player]!.get(key);
                  if (owner === undefined) keyUse[op.player]!.set(key, path);
                  else expect(owner).toBe(path);
                }
                return {
                  op,
                  status: answer.status,
                  body: answer.body,
                  replayed: answer.headers.get('idempotent-replayed') === 'true',
                };
              }),
            );
            for (const { op, status, body, replayed } of answers) {
              expect(status, JSON.stringify(body)).toBeLessThan(500);
              if (status !== 200 || replayed) continue;
              if (op.kind === 'grant') expected[op.player]! += op.amount;
              else if (op.kind === 'buy') {
                expected[op.player]! -= body.item.price as number;
                owned[op.player]!.set(op.item, (owned[op.player]!.get(op.item) ?? 0) + 1);
              } else {
                expected[op.player]! += body.amount as number;
                owned[op.player]!.set(op.item, (owned[op.player]!.get(op.item) ?? 0) - 1);
              }
            }
          }
          for (let i = 0; i < PLAYERS; i++) {
            const b = await books(server, players[i]!.player.id);
            expect(b.balance).toBeGreaterThanOrEqual(0);
            expect(b.balance).toBe(b.ledgerSum);
            expect(b.balance).toBe(expected[i]);
            const model = [...owned[i]!]
              .filter(([, n]) => n === 1)
              .map(([id]) => id)
              .sort((x, y) => x - y);
            for (const [, n] of owned[i]!) expect([0, 1]).toContain(n);
            expect(b.items).toEqual(model);
          }
        },
      ),
      { numRuns: 15 },
    );
  });
});
