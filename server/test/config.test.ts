/**
 * Configuration and start-up: parseConfig's defaults (API.md, Configuration) and its refusals, the
 * catalog file's checks, and the real process: a bad value stops it with one line and no stack trace;
 * SIGTERM lets a request in flight finish and exits 0; the embedded database survives a restart.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, defaultItemsFile, parseConfig, redisTargetOf, repositoryRoot } from '../src/config';
import { readCatalogFile } from '../src/features/shop/catalog-file';
import { freePort } from './helpers/process';

function configError(env: Record<string, string>): ConfigError {
  try {
    parseConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error(`parseConfig accepted ${JSON.stringify(env)}`);
}

describe('parseConfig', () => {
  it('has the defaults of API.md', () => {
    const config = parseConfig({});
    expect(config).toMatchObject({
      port: 8080,
      host: '127.0.0.1',
      databaseUrl: null,
      dataDir: path.join(repositoryRoot, 'data'),
      redisUrl: null,
      loginBonusMin: 10,
      loginBonusMax: 20,
      sellPricePercent: 100,
      sessionTtlHours: 24,
      battleChallengeTtlSeconds: 60,
      itemsFile: defaultItemsFile,
      rateLimitMax: 1200,
      authRateLimitMax: 30,
      loginMaxFailures: 5,
      logLevel: 'info',
      bodyLimitBytes: 16 * 1024,
      presenceTtlMs: 15_000,
      presenceTickMs: 5_000,
      wsHeartbeatMs: 10_000,
      battleSweepIntervalMs: 1_000,
      matchmakingIntervalMs: 1_000,
      housekeepingIntervalMs: 3_600_000,
    });
    expect(defaultItemsFile).toBe(path.join(repositoryRoot, 'server', 'initial_items.json'));
  });

  it('reads every variable it is given', () => {
    const config = parseConfig({
      PORT: '9090',
      HOST: '0.0.0.0',
      DATABASE_URL: 'postgres://user@db:5432/game',
      DATA_DIR: '/tmp/mg-data',
      REDIS_URL: 'redis://cache:6379',
      LOGIN_BONUS_MIN: '0',
      LOGIN_BONUS_MAX: '0',
      SELL_PRICE_PERCENT: '50',
      SESSION_TTL_HOURS: '1',
      BATTLE_CHALLENGE_TTL_SECONDS: '30',
      ITEMS_FILE: '/tmp/items.json',
      RATE_LIMIT_MAX: '0',
      AUTH_RATE_LIMIT_MAX: '0',
      LOGIN_MAX_FAILURES: '0',
      LOG_LEVEL: 'debug',
    });
    expect(config).toMatchObject({
      port: 9090,
      host: '0.0.0.0',
      databaseUrl: 'postgres://user@db:5432/game',
      dataDir: '/tmp/mg-data',
      redisUrl: 'redis://cache:6379',
      loginBonusMin: 0,
      loginBonusMax: 0,
      sellPricePercent: 50,
      sessionTtlHours: 1,
      battleChallengeTtlSeconds: 30,
      itemsFile: '/tmp/items.json',
      rateLimitMax: 0,
      authRateLimitMax: 0,
      loginMaxFailures: 0,
      logLevel: 'debug',
    });
    expect(parseConfig({ DATABASE_URL: 'postgresql://x/y', REDIS_URL: 'rediss://c' })).toMatchObject({
      databaseUrl: 'postgresql://x/y',
      redisUrl: 'rediss://c',
    });
  });

  it('reads Redis Sentinels instead of a Redis URL, and refuses both at once', () => {
    const config = parseConfig({
      REDIS_SENTINELS: '10.0.0.1:26379, sentinel-b:26380,[::1]:26381',
      REDIS_SENTINEL_NAME: 'game',
    });
    expect(config).toMatchObject({
      redisUrl: null,
      redisSentinels: [
        { host: '10.0.0.1', port: 26379 },
        { host: 'sentinel-b', port: 26380 },
        { host: '::1', port: 26381 },
      ],
      redisSentinelName: 'game',
    });
    expect(redisTargetOf(config)).toEqual({ sentinels: config.redisSentinels, name: 'game' });
    expect(parseConfig({ REDIS_SENTINELS: 'a:1' }).redisSentinelName).toBe('mymaster');
    expect(redisTargetOf(parseConfig({ REDIS_URL: 'redis://c:1' }))).toBe('redis://c:1');
    expect(redisTargetOf(parseConfig({}))).toBeNull();
    expect(() => parseConfig({ REDIS_SENTINELS: 'a:1', REDIS_URL: 'redis://c' })).toThrow(
      'REDIS_SENTINELS and REDIS_URL are both set: set one of them',
    );
  });

  it('trims values and treats an empty one as unset', () => {
    expect(parseConfig({ PORT: ' 8081 ', LOG_LEVEL: ' warn ' })).toMatchObject({
      port: 8081,
      logLevel: 'warn',
    });
    expect(parseConfig({ PORT: '', DATABASE_URL: '  ', REDIS_URL: '' })).toMatchObject({
      port: 8080,
      databaseUrl: null,
      redisUrl: null,
    });
  });

  it('accepts the ends of each range', () => {
    expect(parseConfig({ PORT: '0' }).port).toBe(0);
    expect(parseConfig({ PORT: '65535' }).port).toBe(65535);
    expect(parseConfig({ SELL_PRICE_PERCENT: '0' }).sellPricePercent).toBe(0);
    expect(parseConfig({ LOGIN_BONUS_MIN: '15', LOGIN_BONUS_MAX: '15' })).toMatchObject({
      loginBonusMin: 15,
      loginBonusMax: 15,
    });
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['PORT', '65536'],
    ['PORT', '-1'],
    ['PORT', '80.5'],
    ['PORT', '1e3'],
    ['PORT', '0x50'],
    ['PORT', '99999999999999999999999'],
    ['HOST', 'bad host'],
    ['HOST', 'evil;rm'],
    ['DATABASE_URL', 'mysql://x'],
    ['DATABASE_URL', 'not a url'],
    ['DATABASE_URL', 'redis://localhost'],
    ['REDIS_URL', 'nope'],
    ['REDIS_URL', 'http://localhost:6379'],
    ['REDIS_SENTINELS', 'localhost'],
    ['REDIS_SENTINELS', 'a:26379,b'],
    ['REDIS_SENTINELS', 'a:0'],
    ['REDIS_SENTINELS', 'a:70000'],
    ['REDIS_SENTINELS', 'bad host:26379'],
    ['REDIS_SENTINEL_NAME', 'two words'],
    ['LOGIN_BONUS_MIN', '-1'],
    ['LOGIN_BONUS_MIN', 'ten'],
    ['LOGIN_BONUS_MAX', '2.5'],
    ['SELL_PRICE_PERCENT', '101'],
    ['SELL_PRICE_PERCENT', '-1'],
    ['SELL_PRICE_PERCENT', '50%'],
    ['SESSION_TTL_HOURS', '0'],
    ['SESSION_TTL_HOURS', 'forever'],
    ['BATTLE_CHALLENGE_TTL_SECONDS', '1'],
    ['BATTLE_CHALLENGE_TTL_SECONDS', '60s'],
    ['RATE_LIMIT_MAX', '1.5'],
    ['RATE_LIMIT_MAX', '-1'],
    ['RATE_LIMIT_MAX', 'off'],
    ['AUTH_RATE_LIMIT_MAX', '-5'],
    ['AUTH_RATE_LIMIT_MAX', 'many'],
    ['LOGIN_MAX_FAILURES', 'abc'],
    ['LOGIN_MAX_FAILURES', '1001'],
    ['LOG_LEVEL', 'loud'],
    ['LOG_LEVEL', 'INFO'],
    ['TRUST_PROXY', 'yes'],
    ['BODY_LIMIT_BYTES', '10'],
    ['DATABASE_POOL_SIZE', '0'],
    ['DATABASE_POOL_SIZE', 'lots'],
    ['DATABASE_POOL_SIZE', '51'],
    ['PRESENCE_TICK_MS', '10'],
    ['PRESENCE_TICK_MS', '15000'],
    ['BATTLE_SWEEP_INTERVAL_MS', '0'],
    ['BATTLE_SWEEP_INTERVAL_MS', '1s'],
    ['MATCHMAKING_INTERVAL_MS', '-1'],
    ['HOUSEKEEPING_INTERVAL_MS', '999'],
    ['HOUSEKEEPING_INTERVAL_MS', 'hourly'],
  ])('refuses %s=%j, naming the variable', (variable, value) => {
    const error = configError({ [variable]: value });
    expect(error.variable).toBe(variable);
    expect(error.message).toContain(variable);
    expect(error.message).not.toContain('\n');
  });

  it('refuses LOGIN_BONUS_MAX below LOGIN_BONUS_MIN, naming LOGIN_BONUS_MAX', () => {
    const error = configError({ LOGIN_BONUS_MIN: '20', LOGIN_BONUS_MAX: '10' });
    expect(error.variable).toBe('LOGIN_BONUS_MAX');
    expect(error.message).toMatch(/LOGIN_BONUS_MAX.*LOGIN_BONUS_MIN/);
    // The default maximum (20) is below a minimum of 50 too.
    expect(configError({ LOGIN_BONUS_MIN: '50' }).variable).toBe('LOGIN_BONUS_MAX');
  });

  it("reads the background jobs' intervals; the presence tick must stay below PRESENCE_TTL_MS", () => {
    expect(
      parseConfig({
        BATTLE_SWEEP_INTERVAL_MS: '250',
        MATCHMAKING_INTERVAL_MS: '500',
        HOUSEKEEPING_INTERVAL_MS: '60000',
        PRESENCE_TTL_MS: '3000',
      }),
    ).toMatchObject({
      battleSweepIntervalMs: 250,
      matchmakingIntervalMs: 500,
      housekeepingIntervalMs: 60_000,
      presenceTickMs: 1_000,
    });
    expect(parseConfig({ PRESENCE_TICK_MS: '2999', PRESENCE_TTL_MS: '3000' }).presenceTickMs).toBe(2_999);
    const error = configError({ PRESENCE_TICK_MS: '3000', PRESENCE_TTL_MS: '3000' });
    expect(error.variable).toBe('PRESENCE_TICK_MS');
    expect(error.message).toMatch(/PRESENCE_TICK_MS.*PRESENCE_TTL_MS/);
  });

  it('takes DATABASE_POOL_SIZE up to 50 on the embedded database, more with DATABASE_URL', () => {
    expect(parseConfig({ DATABASE_POOL_SIZE: '50' }).databasePoolSize).toBe(50);
    expect(parseConfig({}).databasePoolSize).toBe(20);
    expect(parseConfig({ DATABASE_POOL_SIZE: '200', DATABASE_URL: 'postgres://h/db' }).databasePoolSize).toBe(
      200,
    );
  });

  it('keeps the message on one line whatever the bad value holds', () => {
    for (const [variable, value] of [
      ['PORT', '80\n81'],
      ['LOG_LEVEL', 'info\nerror'],
      ['HOST', 'a\r\nb'],
      ['REDIS_URL', 'x\u2028y'],
    ] as const) {
      const error = configError({ [variable]: value });
      expect(error.variable).toBe(variable);
      expect(error.message).not.toMatch(/[\r\n\u2028\u2029]/);
    }
  });
});

describe('readCatalogFile', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'mg-catalog-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function catalog(name: string, content: string): Promise<string> {
    const file = path.join(dir, name);
    await writeFile(file, content);
    return file;
  }

  async function refusal(file: string): Promise<ConfigError> {
    const error: unknown = await readCatalogFile(file).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigError);
    const configErr = error as ConfigError;
    expect(configErr.variable).toBe('ITEMS_FILE');
    expect(configErr.message).toContain('ITEMS_FILE');
    expect(configErr.message).not.toContain('\n');
    return configErr;
  }

  it('reads the shipped catalog: 15 items, prices in minor units', async () => {
    const items = await readCatalogFile(defaultItemsFile);
    expect(items).toHaveLength(15);
    expect(items[0]).toEqual({
      name: 'Корабль класса Лёгкий крейсер',
      names: { en: 'Light cruiser', ru: 'Корабль класса Лёгкий крейсер' },
      price: 150075,
      power: 60,
    });
    expect(items.every((i) => i.names.en && i.names.ru)).toBe(true);
    expect(items.find((i) => i.name === 'Корабль класса Дредноут')?.price).toBe(450030);
    expect(items.find((i) => i.name === 'Боевой шлем')?.price).toBe(5099);
  });

  it('accepts string prices and a missing power (0)', async () => {
    const file = await catalog(
      'ok.json',
      '[{"name":"Probe","price":"12.5"},{"name":"Drone","price":3,"power":7}]',
    );
    expect(await readCatalogFile(file)).toEqual([
      { name: 'Probe', names: {}, price: 1250, power: 0 },
      { name: 'Drone', names: {}, price: 300, power: 7 },
    ]);
  });

  it('refuses a missing file and invalid JSON', async () => {
    expect((await refusal(path.join(dir, 'missing.json'))).message).toContain('does not exist');
    expect((await refusal(await catalog('broken.json', '[{"name":'))).message).toContain('not valid JSON');
    await refusal(await catalog('object.json', '{"name":"X","price":1}'));
  });

  it.each([
    ['a duplicate name', '[{"name":"X","price":1,"power":1},{"name":"X","price":2,"power":2}]', 'entry 1'],
    ['a missing name', '[{"price":1,"power":1}]', 'entry 0'],
    ['a blank name', '[{"name":"  ","price":1,"power":1}]', 'entry 0'],
    ['a name over 100 characters', `[{"name":"${'n'.repeat(101)}","price":1,"power":1}]`, 'entry 0'],
    ['a price with three decimals', '[{"name":"X","price":1.234,"power":1}]', 'entry 0'],
    ['a negative price', '[{"name":"X","price":-1,"power":1}]', 'entry 0'],
    ['a missing price', '[{"name":"X","power":1}]', 'entry 0'],
    ['a price of the wrong type', '[{"name":"X","price":true,"power":1}]', 'entry 0'],
    ['a fractional power', '[{"name":"X","price":1,"power":1.5}]', 'entry 0'],
    ['a negative power', '[{"name":"X","price":1,"power":-3}]', 'entry 0'],
    ['a power as a string', '[{"name":"X","price":1,"power":"9"}]', 'entry 0'],
    ['a power over 1000000', '[{"name":"X","price":1,"power":1000001}]', 'entry 0'],
    ['an entry that is not an object', '[{"name":"X","price":1,"power":1}, 5]', 'entry 1'],
  ])('refuses %s, naming ITEMS_FILE and the entry', async (_label, content, entry) => {
    const file = await catalog(`bad-${Math.random().toString(36).slice(2)}.json`, content);
    const error = await refusal(file);
    expect(error.message).toContain(entry);
    expect(error.message).toContain(file);
  });
});

// ------------------------------------------------------------------------------------------------
// The real process

const tsx = path.join(repositoryRoot, 'node_modules', '.bin', 'tsx');
const mainFile = path.join(repositoryRoot, 'server', 'src', 'main.ts');

interface Running {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts server/src/main.ts with only the given environment (plus PATH), never the caller's. */
function startProcess(env: Record<string, string>): Running {
  const child = spawn(tsx, [mainFile], {
    cwd: repositoryRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, stdout: () => out, stderr: () => err, exited };
}

async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function waitFor(check: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const STACK_FRAME = /^\s+at .+/m;

/** The process must stop by itself, non-zero, with one line on stderr that names `variable`. */
async function expectRefusedStart(env: Record<string, string>, variable: string): Promise<string> {
  const started = Date.now();
  const running = startProcess(env);
  const { code } = await within(running.exited, 90_000, `the server to refuse ${variable}`);
  expect(code).not.toBe(0);
  expect(code).not.toBeNull();
  expect(Date.now() - started).toBeLessThan(90_000);
  const stderr = running.stderr();
  expect(stderr.endsWith('\n')).toBe(true);
  const lines = stderr.trimEnd().split('\n');
  expect(lines, stderr).toHaveLength(1);
  expect(lines[0]).toContain(variable);
  expect(stderr).not.toMatch(STACK_FRAME);
  expect(running.stdout()).not.toMatch(STACK_FRAME);
  return lines[0]!;
}

function postJson(
  port: number,
  urlPath: string,
  body: string,
): { request: http.ClientRequest; answer: Promise<{ status: number; text: string }> } {
  const request = http.request({
    host: '127.0.0.1',
    port,
    method: 'POST',
    path: urlPath,
    headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
  });
  const answer = new Promise<{ status: number; text: string }>((resolve, reject) => {
    request.on('response', (response) => {
      let text = '';
      response.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
      response.on('error', reject);
    });
    request.on('error', reject);
  });
  return { request, answer };
}

describe('the server process', () => {
  // Creating an embedded database is the slow part of a start (seconds, more on a busy machine), so one
  // DATA_DIR is created by the first test and copied for the refusals that need a database to get far.
  let dir: string;
  let dataDir: string;
  const started: Running[] = [];
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'mg-process-'));
    dataDir = path.join(dir, 'data');
  });
  afterAll(async () => {
    for (const running of started) if (running.child.exitCode === null) running.child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  async function waitHealthy(running: Running, base: string, what: string): Promise<void> {
    await waitFor(
      async () => {
        if (running.child.exitCode !== null) throw new Error(`server exited: ${running.stderr()}`);
        return fetch(`${base}/healthz`).then(
          (r) => r.status === 200,
          () => false,
        );
      },
      90_000,
      what,
    );
  }

  it('serves, finishes a request in flight on SIGTERM, exits 0, and keeps its data across a restart', async () => {
    // debug: the log says when a request arrives (at info it says so only when it is answered).
    const env = { DATA_DIR: dataDir, LOG_LEVEL: 'debug', RATE_LIMIT_MAX: '0', AUTH_RATE_LIMIT_MAX: '0' };
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const first = startProcess({ ...env, PORT: String(port) });
    started.push(first);
    await waitHealthy(first, base, '/healthz');

    const nickname = 'Survivor_1';
    const password = 'correct horse battery';
    const registered = await fetch(`${base}/api/v1/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ nickname, password }),
    });
    expect(registered.status).toBe(201);
    const session = (await registered.json()) as { loginBonus: number; player: { balance: number } };

    // A login whose headers have arrived but whose body has not: it is in flight when SIGTERM lands.
    const body = JSON.stringify({ nickname, password });
    const login = postJson(port, '/api/v1/auth/login', body);
    login.request.write(body.slice(0, 5));
    await waitFor(() => first.stdout().includes('/api/v1/auth/login'), 10_000, 'the login to arrive');
    first.child.kill('SIGTERM');
    await waitFor(() => first.stdout().includes('shutting down'), 10_000, 'the shutdown to begin');
    // New connections are refused while the old request is still open.
    await expect(fetch(`${base}/healthz`)).rejects.toThrow();
    login.request.end(body.slice(5));
    const answer = await within(login.answer, 10_000, 'the in-flight login');
    expect(answer.status, answer.text).toBe(200);
    const loggedIn = JSON.parse(answer.text) as { loginBonus: number; player: { balance: number } };
    expect(loggedIn.player.balance).toBe(session.loginBonus + loggedIn.loginBonus);
    const exit = await within(first.exited, 15_000, 'the graceful exit');
    expect(exit).toEqual({ code: 0, signal: null });
    expect(first.stderr()).toBe('');

    // Same DATA_DIR, new process: the pilot, its balance and its ledger are still there.
    const second = startProcess({ ...env, PORT: String(port) });
    started.push(second);
    await waitHealthy(second, base, '/healthz after the restart');
    const again = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ nickname, password }),
    });
    expect(again.status).toBe(200);
    const restored = (await again.json()) as {
      token: string;
      loginBonus: number;
      player: { balance: number };
    };
    expect(restored.player.balance).toBe(loggedIn.player.balance + restored.loginBonus);
    const history = await fetch(`${base}/api/v1/me/transactions`, {
      headers: { authorization: `Bearer ${restored.token}` },
    });
    const ledger = (await history.json()) as { transactions: { type: string; amount: number }[] };
    expect(ledger.transactions.map((t) => t.type)).toEqual(['login_bonus', 'login_bonus', 'login_bonus']);
    expect(ledger.transactions.reduce((sum, t) => sum + t.amount, 0)).toBe(restored.player.balance);

    second.child.kill('SIGTERM');
    expect(await within(second.exited, 15_000, 'the second graceful exit')).toEqual({
      code: 0,
      signal: null,
    });
  }, 180_000);

  it('refuses PORT=abc, a missing ITEMS_FILE and a 3-decimal price, each with one line naming the variable', async () => {
    // The catalog is read after the database opens: give each refusal its own copy of a ready DATA_DIR.
    const copy = async (name: string) => {
      const target = path.join(dir, name);
      // Leave out the sockets of a Postgres that did not stop cleanly (they cannot be copied).
      const notSocket = (source: string) => !path.basename(source).startsWith('.s.PGSQL');
      if (existsSync(dataDir)) await cp(dataDir, target, { recursive: true, filter: notSocket });
      return target;
    };
    const missing = path.join(dir, 'no-such-items.json');
    const decimals = path.join(dir, 'three-decimals.json');
    await writeFile(decimals, JSON.stringify([{ name: 'Laser', price: 10.125, power: 1 }]));
    const [port, missingFile, threeDecimals] = await Promise.all([
      expectRefusedStart({ PORT: 'abc', DATA_DIR: path.join(dir, 'unused') }, 'PORT'),
      copy('missing').then((d) =>
        expectRefusedStart({ PORT: '0', DATA_DIR: d, ITEMS_FILE: missing, LOG_LEVEL: 'warn' }, 'ITEMS_FILE'),
      ),
      copy('decimals').then((d) =>
        expectRefusedStart({ PORT: '0', DATA_DIR: d, ITEMS_FILE: decimals, LOG_LEVEL: 'warn' }, 'ITEMS_FILE'),
      ),
    ]);
    expect(port).toMatch(/^Invalid configuration: PORT /);
    expect(missingFile).toBe(`Invalid configuration: ITEMS_FILE does not exist: ${missing}`);
    expect(threeDecimals).toContain('price');
    expect(threeDecimals).toContain(decimals);
  }, 180_000);
});
