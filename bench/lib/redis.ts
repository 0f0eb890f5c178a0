/**
 * The Redis the bench servers share, as production nodes do: a database number of its own on the local
 * Redis (BENCH_REDIS_URL overrides), emptied before each server starts, so no entry of another run (or of
 * another engineer's server, which uses database 0) is ever read. Null when no Redis answers.
 */
import { Redis } from 'ioredis';

export const benchRedisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/11';

export async function freshBenchRedis(): Promise<string | null> {
  const client = new Redis(benchRedisUrl, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    connectTimeout: 1_000,
    retryStrategy: () => null,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.flushdb();
    return benchRedisUrl;
  } catch {
    return null;
  } finally {
    client.disconnect(false);
  }
}
