/**
 * Test helpers for the Redis twins: the shared test Redis under a per-run random prefix, a private
 * redis-server that a test may kill, and polling.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRedisClient, type Redis } from '../../src/infra/redis.js';
import { inject } from 'vitest';
import { freePort } from '../helpers/process';

const providedRedisUrl = inject('redisUrl');

/**
 * The run's Redis (global-setup.ts): TEST_REDIS_URL's, or a redis-server child the run started. The Redis
 * suites skip only when neither is there (no redis-server installed); the run then says so in one line.
 */
export const TEST_REDIS_URL = providedRedisUrl ?? 'redis://127.0.0.1:6379';
export const redisConfigured = providedRedisUrl !== null;
/** Tests that start (and kill) a private redis-server need the binary (PrivateRedis). */
export const redisServerInstalled = inject('redisServer') !== null;

/** Unique per call, so parallel test files and runs never see each other's keys. */
export function uniquePrefix(): string {
  return `mgtest:${randomBytes(6).toString('hex')}:`;
}

/** A client of the shared test Redis; unexpected errors fail loudly rather than vanish. */
export function sharedClient(): Redis {
  return createRedisClient(TEST_REDIS_URL, {
    onError: (err) => {
      throw err;
    },
  });
}

/** Deletes every key under prefix (SCAN, never KEYS: the shared Redis may be large). */
export async function deleteKeys(url: string, prefix: string): Promise<void> {
  const client = createRedisClient(url);
  try {
    await waitFor(() => client.status === 'ready', 5_000);
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await client.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    client.disconnect(false);
  }
}

export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(20);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * A redis-server of our own that tests may kill and restart on the same port. It persists to an
 * append-only file fsynced on every write, so a restart brings back what was in memory at the kill, as a
 * production Redis restarting from its AOF would: that is what makes a stale-after-outage bug observable
 * (a Redis that restarts empty would hide it).
 */
export class PrivateRedis {
  #child: ChildProcess | null = null;

  private constructor(
    readonly port: number,
    readonly dir: string,
    readonly binary: string,
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  static async start(): Promise<PrivateRedis> {
    const binary = inject('redisServer');
    if (!binary) throw new Error('redis-server is not installed (apt-get install redis-server)');
    const server = new PrivateRedis(await freePort(), mkdtempSync(join(tmpdir(), 'mg-redis-')), binary);
    await server.restart();
    return server;
  }

  async restart(): Promise<void> {
    if (this.#child) throw new Error('already running');
    const child = spawn(
      this.binary,
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'yes',
        '--appendfsync',
        'always',
        '--dir',
        this.dir,
      ],
      { stdio: 'ignore' },
    );
    this.#child = child;
    const probe = createRedisClient(this.url, { maxReconnectDelayMs: 50 });
    try {
      await waitFor(() => probe.status === 'ready' || child.exitCode !== null, 10_000);
      if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}`);
    } finally {
      probe.disconnect(false);
    }
  }

  /** SIGKILL: no shutdown, no goodbye to clients, as a crash or a power cut. */
  async kill(): Promise<void> {
    const child = this.#child;
    if (!child) return;
    this.#child = null;
    if (child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await exited;
  }

  /** Deletes what a stopped server had saved: the next restart comes back empty. */
  async wipe(): Promise<void> {
    if (this.#child) throw new Error('stop it first');
    rmSync(this.dir, { recursive: true, force: true });
    mkdirSync(this.dir, { recursive: true });
  }

  async destroy(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * A TCP relay in front of a Redis, for the connections a test wants to slow down or cut: what Redis sends
 * reaches the client `delayMs` late (in order; what the client sends goes straight through), `hold()`
 * keeps it back until `release()`, and `cut()` closes every relayed connection at once. A late or held
 * link is how a test forces "the invalidation arrives after the next request" deterministically.
 */
export class RedisRelay {
  /** Added to every chunk Redis sends, from when the relay receives it. */
  delayMs = 0;
  #held = false;
  readonly #links = new Set<{ client: Socket; upstream: Socket; pump: () => void }>();

  private constructor(
    readonly server: Server,
    readonly port: number,
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  static async start(redisUrl: string): Promise<RedisRelay> {
    const target = new URL(redisUrl);
    let relay: RedisRelay | null = null;
    const server = createServer((client) => {
      if (relay) relay.#relay(client, target);
      else client.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    relay = new RedisRelay(server, address.port);
    return relay;
  }

  /** Keeps back everything Redis sends from now on, on every relayed connection. */
  hold(): void {
    this.#held = true;
  }

  /** Lets what was held go (still `delayMs` late from its arrival), and what comes after. */
  release(): void {
    this.#held = false;
    for (const link of this.#links) link.pump();
  }

  /** Closes every relayed connection, as a network failure would. */
  cut(): void {
    for (const link of this.#links) {
      link.client.destroy();
      link.upstream.destroy();
    }
    this.#links.clear();
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  #relay(client: Socket, target: URL): void {
    const upstream = connect(Number(target.port || 6379), target.hostname);
    const queue: { at: number; chunk: Buffer }[] = [];
    let timer: NodeJS.Timeout | null = null;
    const pump = (): void => {
      if (timer) return;
      while (queue.length > 0 && !this.#held) {
        const next = queue[0]!;
        const wait = next.at - Date.now();
        if (wait > 0) {
          timer = setTimeout(() => {
            timer = null;
            pump();
          }, wait);
          return;
        }
        queue.shift();
        client.write(next.chunk);
      }
    };
    const link = { client, upstream, pump };
    this.#links.add(link);
    const end = (): void => {
      if (timer) clearTimeout(timer);
      this.#links.delete(link);
      client.destroy();
      upstream.destroy();
    };
    client.on('data', (chunk: Buffer) => upstream.write(chunk));
    upstream.on('data', (chunk: Buffer) => {
      queue.push({ at: Date.now() + this.delayMs, chunk });
      pump();
    });
    for (const socket of [client, upstream]) {
      socket.on('error', end);
      socket.on('close', end);
    }
  }
}
