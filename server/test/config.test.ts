/**
 * Configuration: parseConfig's defaults (API.md, Configuration) and its refusals, each naming the variable
 * in one line. The catalog file: catalog-file.test.ts; the real process: server-process.test.ts.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, defaultItemsFile, parseConfig, redisTargetOf, repositoryRoot } from '../src/config';

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
