/**
 * The Redis the bench servers share, as production nodes do: a redis-server of the bench's own (started
 * by the harness, `startBenchRedis`), so its command counters count only what the measured server sent;
 * BENCH_REDIS_URL points at another one instead, and without redis-server the machine's Redis (database
 * 11) is used. Emptied before each server starts. Null when no Redis answers.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { Redis } from 'ioredis';
import { freePort } from './proc';

export let benchRedisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/11';

/** Starts a private redis-server (unless BENCH_REDIS_URL is set); its stop function, or null. */
export async function startBenchRedis(log: (line: string) => void): Promise<(() => Promise<void>) | null> {
  if (process.env.BENCH_REDIS_URL) return null;
  if (spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status !== 0) {
    log(`  bench Redis: no redis-server here, using ${benchRedisUrl}`);
    return null;
  }
  const port = await freePort();
  const child: ChildProcess = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--loglevel',
      'warning',
    ],
    { stdio: 'ignore' },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `redis://127.0.0.1:${port}/0`;
  for (let i = 0; i < 100; i++) {
    if ((await ping(url)) || child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  if (!(await ping(url))) {
    child.kill('SIGKILL');
    log(`  bench Redis: redis-server did not start, using ${benchRedisUrl}`);
    return null;
  }
  benchRedisUrl = url;
  log(`  bench Redis: port ${port}, pid ${child.pid}`);
  return async () => {
    if (child.exitCode !== null) return;
    child.kill('SIGTERM');
    await exited;
  };
}

async function withRedis<T>(url: string, fn: (client: Redis) => Promise<T>): Promise<T | null> {
  const client = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    connectTimeout: 1_000,
    retryStrategy: () => null,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return await fn(client);
  } catch {
    return null;
  } finally {
    client.disconnect(false);
  }
}

async function ping(url: string): Promise<boolean> {
  return (await withRedis(url, (c) => c.ping())) === 'PONG';
}

export async function freshBenchRedis(): Promise<string | null> {
  const done = await withRedis(benchRedisUrl, async (c) => {
    await c.flushdb();
    return true;
  });
  return done ? benchRedisUrl : null;
}

export interface RedisCounters {
  /** Commands processed (every command of a pipeline or script call counts once). */
  commands: number;
  /** Read events: how many times the server read from a client socket, about one per round trip. */
  reads: number;
  /** Calls per command name. */
  byCommand: Record<string, number>;
}

/** The bench Redis's counters now (INFO stats, INFO commandstats); null when it does not answer. */
export function redisCounters(url = benchRedisUrl): Promise<RedisCounters | null> {
  return withRedis(url, async (c) => {
    const stats = await c.info('stats');
    const commandStats = await c.info('commandstats');
    const field = (name: string) => Number(new RegExp(`^${name}:(\\d+)`, 'm').exec(stats)?.[1] ?? 0);
    const byCommand: Record<string, number> = {};
    for (const match of commandStats.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) {
      byCommand[match[1]!] = Number(match[2]);
    }
    return {
      commands: field('total_commands_processed'),
      reads: field('total_reads_processed'),
      byCommand,
    };
  });
}

/**
 * Per move between two readings: commands (the readings' own INFO calls left out), round trips (read
 * events; the readings add a handful, nothing against thousands of moves) and the commands by name.
 */
export function redisPerMove(
  before: RedisCounters | null,
  after: RedisCounters | null,
  moves: number,
): { commands: number; trips: number; byCommand: Record<string, number> } | null {
  if (!before || !after || moves <= 0) return null;
  const byCommand: Record<string, number> = {};
  let commands = 0;
  for (const [name, calls] of Object.entries(after.byCommand)) {
    const delta = calls - (before.byCommand[name] ?? 0);
    if (name === 'info' || delta <= 0) continue;
    byCommand[name] = delta / moves;
    commands += delta;
  }
  return { commands: commands / moves, trips: Math.max(0, after.reads - before.reads) / moves, byCommand };
}
