/**
 * Two server nodes on different ports, sharing one Postgres and one Redis (multi-node/fixture.ts), behave as
 * one server: clients alternating between the two ports see one consistent game. Postgres only.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { redisServerInstalled } from '../infra/redis-helpers';
import type { TestServer } from '../helpers/server';
import { rng, catalogOf, twoNodes } from './fixture';

describe.skipIf(!redisServerInstalled)('two nodes: alternating', () => {
  const nodes = twoNodes();
  const { newPilot, randomStep, expectBooks } = nodes;
  let a: TestServer;
  let b: TestServer;
  beforeAll(() => {
    ({ a, b } = nodes.current());
  });

  it('behaves as one server for clients alternating between the two ports', async () => {
    const seed = Date.now() >>> 0;
    const catalog = await catalogOf(a);
    const prices = new Map(catalog.map((item) => [item.id, item.price]));
    const ids = catalog.map((item) => item.id);
    const pilots = await Promise.all([0, 1, 2, 3].map(() => newPilot(400_000)));
    const failures: string[] = [];
    let answered = 0;
    await Promise.all(
      pilots.map(async (pilot, p) => {
        const random = rng(seed + p);
        for (let k = 0; k < 15; k += 1) {
          const node = (k + p) % 2 === 0 ? a : b;
          const failure = await randomStep(node, pilot, random, ids, prices);
          answered += 1;
          if (failure) failures.push(failure);
        }
      }),
    );
    expect(failures, `seed ${seed}`).toEqual([]);
    expect(answered).toBe(60);
    for (const pilot of pilots) await expectBooks(pilot);
  });
});
