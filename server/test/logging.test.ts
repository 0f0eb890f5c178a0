// What the log says: readable lines on a terminal and JSON otherwise, one line per request, and a Redis
// outage told once at its start, once at its end and by rare reminders in between (never a line for
// every reconnect attempt).
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app';
import { type AppContext, closeContext, createContext } from '../src/bootstrap';
import { parseConfig } from '../src/config';
import { createInfra } from '../src/infra/index';
import { createLogger } from '../src/infra/logger';
import { RedisOutageLog } from '../src/infra/outage-log';
import { createTestDatabase, FAST_PASSWORDS } from './helpers/server';
import { PrivateRedis, redisServerInstalled, sleep, uniquePrefix, waitFor } from './infra/redis-helpers';

/** A stream that keeps the lines written to it. */
function captured(): { stream: PassThrough; lines: () => string[] } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8');
  });
  return { stream, lines: () => text.split('\n').filter((line) => line !== '') };
}

interface Entry {
  level: number;
  msg: string;
  reqId?: string;
  [key: string]: unknown;
}

const parsed = (lines: string[]): Entry[] => lines.map((line) => JSON.parse(line) as Entry);

describe('log format', () => {
  it('is JSON when not on a terminal, one readable line when pretty', async () => {
    const json = captured();
    createLogger('info', { pretty: false, destination: json.stream }).info({ player: 'p1' }, 'hello');
    const pretty = captured();
    createLogger('info', { pretty: true, destination: pretty.stream }).info({ player: 'p1' }, 'hello');
    await waitFor(() => json.lines().length > 0 && pretty.lines().length > 0, 5_000);
    expect(parsed(json.lines())[0]).toMatchObject({ msg: 'hello', player: 'p1', level: 30 });
    expect(pretty.lines()).toHaveLength(1);
    const line = pretty.lines()[0] ?? '';
    expect(() => JSON.parse(line) as unknown).toThrow();
    expect(line).toContain('INFO');
    expect(line).toContain('hello');
  });
});

describe('request lines', () => {
  let ctx: AppContext;
  let database: { url: string; drop(): Promise<void> };
  const out = captured();

  beforeAll(async () => {
    database = await createTestDatabase('embedded');
    const config = parseConfig({
      LOG_LEVEL: 'info',
      RATE_LIMIT_MAX: '0',
      AUTH_RATE_LIMIT_MAX: '0',
      DATABASE_URL: database.url,
    });
    ctx = await createContext(config, {
      passwordCost: FAST_PASSWORDS,
      defaultMetrics: false,
      logger: createLogger('info', { pretty: false, destination: out.stream }),
    });
  });
  afterAll(async () => {
    await closeContext(ctx);
    await database.drop();
  });

  it('logs one line per request, with method, url, status, time and request id', async () => {
    const app = await buildApp(ctx);
    const answer = await app.inject({ method: 'GET', url: '/api/v1/shop/items?limit=2' });
    const missing = await app.inject({ method: 'GET', url: '/nowhere' });
    await app.close();
    const loggedBoth = () =>
      [answer, missing].every((a) =>
        out.lines().some((line) => line.includes(String(a.headers['x-request-id']))),
      );
    await waitFor(loggedBoth, 5_000);
    const entries = parsed(out.lines());
    const first = entries.filter((e) => e.reqId === answer.headers['x-request-id']);
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({
      level: 30,
      method: 'GET',
      url: '/api/v1/shop/items?limit=2',
      statusCode: 200,
    });
    expect(first[0]?.responseTime).toEqual(expect.any(Number));
    expect(first[0]?.msg).toMatch(/^GET \/api\/v1\/shop\/items\?limit=2 200 [\d.]+ ms$/);
    expect(entries.filter((e) => e.reqId === missing.headers['x-request-id'])).toHaveLength(1);
  });
});

describe('Redis outage log', () => {
  function recorder() {
    const lines: { level: 'warn' | 'info'; details: object; message: string }[] = [];
    return {
      lines,
      warn: (details: object, message: string) => lines.push({ level: 'warn', details, message }),
      info: (details: object, message: string) => lines.push({ level: 'info', details, message }),
    };
  }

  it('says the outage once, reminds at most once a minute, and says its end once', () => {
    const log = recorder();
    let now = 0;
    const outage = new RedisOutageLog(log, 60_000, () => now);
    outage.componentError(new Error('odd reply')); // Redis up: logged as it comes
    expect(log.lines).toHaveLength(1);
    for (; now < 150_000; now += 500) {
      outage.connectionError(new Error('connect ECONNREFUSED 127.0.0.1:6379'));
      outage.componentError(new Error('dropped an event'));
    }
    outage.ready();
    outage.ready(); // the second connection comes back too
    const messages = log.lines.slice(1).map((l) => l.message);
    expect(messages).toEqual([
      'redis is unreachable; serving from Postgres without it, reconnecting in the background',
      'redis still unreachable after 60 s',
      'redis still unreachable after 120 s',
      'redis is back after 150 s',
    ]);
    expect(log.lines[1]?.details).toEqual({ reason: 'connect ECONNREFUSED 127.0.0.1:6379' });
    expect(log.lines[4]).toMatchObject({ level: 'info', details: { downSeconds: 150, errors: 599 } });
  });

  it('writes one line, not one per reconnect attempt, while Redis cannot be reached', async () => {
    const log = recorder();
    const infra = createInfra({ redis: 'redis://127.0.0.1:1', keyPrefix: uniquePrefix(), log });
    await sleep(2_500);
    await infra.cache.get('anything');
    await infra.close();
    expect(log.lines.map((l) => l.message)).toEqual([
      'redis is unreachable; serving from Postgres without it, reconnecting in the background',
    ]);
  });

  it.skipIf(!redisServerInstalled)('says when a real outage ends', async () => {
    const redis = await PrivateRedis.start();
    const log = recorder();
    const infra = createInfra({ redis: redis.url, keyPrefix: uniquePrefix(), log });
    try {
      await waitFor(() => infra.cache.status() === 'ok', 10_000);
      await redis.kill();
      await sleep(2_000);
      await redis.restart();
      await waitFor(() => log.lines.some((l) => l.level === 'info'), 15_000);
      expect(log.lines.map((l) => l.message)).toEqual([
        'redis is unreachable; serving from Postgres without it, reconnecting in the background',
        expect.stringMatching(/^redis is back after \d+ s$/),
      ]);
    } finally {
      await infra.close();
      await redis.destroy();
    }
  });
});
