/**
 * Two server nodes on different ports, sharing one Postgres and one Redis (multi-node/fixture.ts), behave as
 * one server: a logout on one node is refused everywhere as soon as it answers, even while the other node is looking the token up. Postgres only.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { redisServerInstalled } from '../infra/redis-helpers';
import { hashToken } from '../../src/features/auth/auth.service';
import { api, call, register } from '../helpers/http';
import type { TestServer } from '../helpers/server';
import { redisEntries, describeAnswer, twoNodes, type TwoNodes } from './fixture';

describe.skipIf(!redisServerInstalled)('two nodes: sessions', () => {
  const nodes = twoNodes();
  let a: TestServer;
  let b: TestServer;
  let redis: TwoNodes['redis'];
  let prefix: string;
  beforeAll(() => {
    ({ a, b, redis, prefix } = nodes.current());
  });

  it('rejects a token on the other node as soon as logout answers', async () => {
    for (const [writer, reader] of [
      [a, b],
      [b, a],
    ] as const) {
      const pilot = await register(reader);
      expect((await call(reader, 'GET', api('/me'), { token: pilot.token })).status).toBe(200);
      // The session is now in the shared cache: the logout has to remove it, not just the database row.
      const cachedSessions = await redisEntries(
        redis.url,
        `${prefix}c:*:session:v2:*:${hashToken(pilot.token)}`,
      );
      expect(cachedSessions.size).toBe(1);
      expect((await call(writer, 'GET', api('/me'), { token: pilot.token })).status).toBe(200);

      expect((await call(writer, 'POST', api('/auth/logout'), { token: pilot.token })).status).toBe(204);
      expect((await call(reader, 'GET', api('/me'), { token: pilot.token })).status).toBe(401);
      expect((await call(writer, 'GET', api('/me'), { token: pilot.token })).status).toBe(401);
      expect((await call(reader, 'GET', api('/me/balance'), { token: pilot.token })).status).toBe(401);
    }
  });

  it('rejects a token everywhere after logout even while the other node is looking it up', async () => {
    // The other node's first lookups of the token (cache miss → database → cache fill) race the logout;
    // a fill that read the session before the revocation must not outlive the logout's answer.
    for (let round = 0; round < 12; round += 1) {
      const [writer, reader] = round % 2 === 0 ? [a, b] : [b, a];
      const pilot = await register(writer);
      const token = pilot.token;
      let loggedOutAt = Number.POSITIVE_INFINITY;
      const late: string[] = [];
      const lookups = Array.from({ length: 8 }, async (_, i) => {
        for (let k = 0; k < 4; k += 1) {
          const startedAt = performance.now();
          const answer = await call(reader, 'GET', api('/me'), { token });
          if (answer.status >= 500) late.push(`lookup ${i}.${k}: ${describeAnswer(answer)}`);
          if (startedAt > loggedOutAt && answer.status !== 401)
            late.push(`lookup ${i}.${k} after logout: ${answer.status}`);
        }
      });
      const out = await call(writer, 'POST', api('/auth/logout'), { token });
      expect(out.status).toBe(204);
      loggedOutAt = performance.now();
      await Promise.all(lookups);
      expect(late).toEqual([]);
      expect((await call(reader, 'GET', api('/me'), { token })).status).toBe(401);
      expect((await call(writer, 'GET', api('/me'), { token })).status).toBe(401);
    }
  });
});
