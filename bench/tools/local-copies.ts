/**
 * Local copies micro-benchmark (standalone): `npx tsx bench/tools/local-copies.ts [--seconds 3] [--rounds 3]`.
 * Compares, in one process and in alternating rounds, the two ways a node reads the cache on Redis
 * (REDIS_URL, default redis://127.0.0.1:6379, keys under a random prefix, removed at the end):
 *  - `redis`: every get is a Lua script round trip (what a node did with local copies switched off);
 *  - `local`: local copies (redis-tracking.ts), each get waiting for a fence (a PING on the invalidation
 *    connection shared by the reads of one event-loop turn) and then answered from memory.
 * The workload is a warm shop page read as ShopService.page does it: get the catalog version, then the
 * page under it (two dependent gets, a 900-byte value), by `concurrency` loops at once. Reported per
 * round: reads/s (pages), Node CPU per page (process.cpuUsage), Redis calls per page (INFO commandstats:
 * a script counts once plus once per command it runs, so a scripted get is 3) and Redis CPU per page
 * (INFO cpu; both are deltas of the whole Redis, which others may be using too).
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { closeRedisClient, createRedisClient, type Redis } from '../../server/src/infra/redis.js';
import { RedisCache } from '../../server/src/infra/redis-cache.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '3' },
    rounds: { type: 'string', default: '3' },
    concurrency: { type: 'string', default: '1,50' },
  },
});
const SECONDS = Number(values.seconds);
const ROUNDS = Number(values.rounds);
const CONCURRENCY = values.concurrency.split(',').map(Number);
const URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const PREFIX = `mgbench:${randomBytes(4).toString('hex')}:`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function ready(client: Redis): Promise<void> {
  for (let i = 0; i < 200 && client.status !== 'ready'; i += 1) await sleep(10);
  if (client.status !== 'ready') throw new Error(`Redis at ${URL} is not reachable`);
}

/** Total calls per command and Redis's own CPU seconds, from INFO. */
async function redisCounters(admin: Redis): Promise<{ calls: number; cpu: number }> {
  const stats = await admin.info('commandstats');
  let calls = 0;
  for (const match of stats.matchAll(/^cmdstat_\w+:calls=(\d+)/gm)) calls += Number(match[1]);
  const cpu = await admin.info('cpu');
  const user = Number(/^used_cpu_user:([\d.]+)/m.exec(cpu)?.[1] ?? 0);
  const sys = Number(/^used_cpu_sys:([\d.]+)/m.exec(cpu)?.[1] ?? 0);
  return { calls, cpu: user + sys };
}

async function run(cache: RedisCache, concurrency: number, admin: Redis) {
  let pages = 0;
  let stop = false;
  const before = await redisCounters(admin);
  const cpu = process.cpuUsage();
  const started = performance.now();
  const loops = Array.from({ length: concurrency }, async () => {
    while (!stop) {
      const version = (await cache.get('catalog:version')) ?? '0';
      const page = await cache.get(`shop:page:${version}`);
      if (page === null) throw new Error('the warm page went missing');
      pages += 1;
    }
  });
  await sleep(SECONDS * 1000);
  stop = true;
  await Promise.all(loops);
  const elapsed = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const after = await redisCounters(admin);
  return {
    perSecond: pages / elapsed,
    nodeCpuUs: (used.user + used.system) / pages,
    // The two INFO calls of the after-sample are Redis commands too.
    redisCommands: (after.calls - before.calls - 2) / pages,
    redisCpuUs: ((after.cpu - before.cpu) * 1e6) / pages,
  };
}

async function main(): Promise<void> {
  const admin = createRedisClient(URL);
  const plainClient = createRedisClient(URL);
  const dataClient = createRedisClient(URL);
  const invalidations = createRedisClient(URL);
  await Promise.all([admin, plainClient, dataClient, invalidations].map(ready));
  const caches = {
    redis: new RedisCache(plainClient, { keyPrefix: PREFIX }),
    local: new RedisCache(dataClient, { keyPrefix: PREFIX, invalidations }),
  };
  try {
    for (let i = 0; i < 200 && Object.values(caches).some((c) => c.status() !== 'ok'); i += 1)
      await sleep(10);
    const version = String(await caches.redis.incr('catalog:version'));
    await caches.redis.set(`shop:page:${version}`, `"etag"\n${'x'.repeat(900)}`, 3600);
    for (let i = 0; i < 200 && caches.local.localCopies < 2; i += 1) {
      await caches.local.get('catalog:version');
      await caches.local.get(`shop:page:${version}`);
      await sleep(10);
    }
    if (caches.local.localCopies < 2) throw new Error('local copies did not come on');
    console.log(
      `Redis ${URL}, ${SECONDS} s per round, ${ROUNDS} alternating rounds; a "page" = 2 dependent gets`,
    );
    for (const concurrency of CONCURRENCY) {
      const best: Record<string, number> = {};
      for (let round = 1; round <= ROUNDS; round += 1) {
        for (const [name, cache] of Object.entries(caches)) {
          const r = await run(cache, concurrency, admin);
          best[name] = Math.max(best[name] ?? 0, r.perSecond);
          console.log(
            `c=${String(concurrency).padEnd(3)} round ${round} ${name.padEnd(5)} ${Math.round(r.perSecond)
              .toLocaleString('en')
              .padStart(
                7,
              )} pages/s  node ${r.nodeCpuUs.toFixed(1).padStart(5)} µs/page  redis ${r.redisCommands
              .toFixed(2)
              .padStart(5)} calls/page ${r.redisCpuUs.toFixed(1).padStart(5)} µs/page`,
          );
        }
      }
      console.log(
        `c=${concurrency} best: redis ${Math.round(best.redis ?? 0)} pages/s, local ${Math.round(best.local ?? 0)} pages/s (${((best.local ?? 0) / (best.redis ?? 1)).toFixed(2)}×)`,
      );
    }
  } finally {
    await Promise.all(Object.values(caches).map((c) => c.close()));
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, found] = await admin.scan(cursor, 'MATCH', `${PREFIX}*`, 'COUNT', 1000);
      cursor = next;
      keys.push(...found);
    } while (cursor !== '0');
    if (keys.length > 0) await admin.unlink(...keys);
    await Promise.all([admin, plainClient, dataClient, invalidations].map(closeRedisClient));
  }
}

await main();
