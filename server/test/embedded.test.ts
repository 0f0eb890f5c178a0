/**
 * The embedded default, on the real process: DATA_DIR's own PostgreSQL, private (a 0600 password, a Unix
 * socket, no TCP, not root), what a `kill -9` leaves behind, two servers on one DATA_DIR, SIGTERM, and the
 * import of a `data/` written by the previous release (PGlite; fixtures/pglite-data-0.1.0.tar.xz was made
 * by that release's server: two pilots, one of them owning item 3, balance 149.01). Plus DATABASE_URL's
 * database created when missing and an unreachable DATABASE_URL named.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/bootstrap';
import { ConfigError, parseConfig } from '../src/config';
import { isAlive } from '../src/db/embedded';
import { startProcess, waitHealthy, within, type Running, freePort } from './helpers/process';
import { backends, serverUrlOf } from './helpers/server';

const fixture = path.join(import.meta.dirname, 'fixtures', 'pglite-data-0.1.0.tar.xz');
const STACK_FRAME = /^\s+at .+/m;

/** postmaster.pid: pid, data directory, start time, port, socket directory, listen addresses, ... */
function postmasterPid(dataDir: string): string[] {
  return readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n');
}

function linesOf(text: string, needle: string): string[] {
  return text.split('\n').filter((line) => line.includes(needle));
}

describe('the embedded Postgres of a server process', () => {
  let dir: string;
  let dataDir: string;
  const started: Running[] = [];
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'mg-embedded-'));
    dataDir = path.join(dir, 'data');
    await mkdir(dataDir);
    const untar = spawnSync('tar', ['-xJf', fixture, '-C', dataDir]);
    expect(untar.status, String(untar.stderr)).toBe(0);
  });
  afterAll(async () => {
    for (const running of started) if (running.child.exitCode === null) running.child.kill('SIGKILL');
    if (existsSync(path.join(dataDir, 'postgres', 'postmaster.pid'))) {
      const pid = Number(postmasterPid(dataDir)[0]);
      if (pid && isAlive(pid)) process.kill(pid, 'SIGKILL');
    }
    await rm(dir, { recursive: true, force: true });
  });

  it('starts privately, survives kill -9, refuses a second server, stops on SIGTERM and imports PGlite data', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const env = { DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'warn', RATE_LIMIT_MAX: '0' };

    // First start: the cluster is created; the earlier release's data is pointed at, in one line.
    const first = startProcess(env);
    started.push(first);
    await waitHealthy(first, base, 'the first start');
    const notice = linesOf(first.stdout(), 'import-pglite');
    expect(notice).toHaveLength(1);
    expect(notice[0]).toContain(`npm run admin -- import-pglite ${path.join(dataDir, 'pglite')}`);
    expect(statSync(path.join(dataDir, 'postgres.password')).mode & 0o777).toBe(0o600);
    const [pid, , , , socketDir, listenAddresses] = postmasterPid(dataDir);
    expect(socketDir).toBe(path.join(dataDir, 'postgres'));
    expect(listenAddresses?.trim()).toBe(''); // no TCP at all
    expect(statSync(`/proc/${pid}`).uid).not.toBe(0); // Postgres refuses root: never run as root

    // kill -9 of the server (the pid in the lock file, not tsx's wrapper): its Postgres stays behind.
    const orphan = Number(pid);
    const serverPid = Number(await readFile(path.join(dataDir, 'metagameplay.lock'), 'utf8'));
    process.kill(serverPid, 'SIGKILL');
    await within(first.exited, 15_000, 'the killed server to go');
    expect(isAlive(orphan)).toBe(true);

    // The next start deals with the orphan and just works.
    const second = startProcess(env);
    started.push(second);
    await waitHealthy(second, base, 'the start after kill -9');
    expect(linesOf(second.stdout(), `stopping the embedded Postgres (pid ${orphan})`)).toHaveLength(1);
    expect(isAlive(orphan)).toBe(false);

    // A second server on the same DATA_DIR is refused with one line.
    const third = startProcess({ ...env, PORT: '0' });
    started.push(third);
    const refused = await within(third.exited, 90_000, 'the second server to be refused');
    expect(refused.code).toBe(1);
    expect(third.stderr()).toMatch(
      /^MetaGameplay could not start: DATA_DIR .+ is in use by another MetaGameplay server \(process \d+\); stop it first or use another DATA_DIR\n$/,
    );

    // SIGTERM: the server exits 0 and its Postgres with it.
    const postmaster = Number(postmasterPid(dataDir)[0]);
    second.child.kill('SIGTERM');
    expect(await within(second.exited, 30_000, 'the graceful exit')).toEqual({ code: 0, signal: null });
    expect(isAlive(postmaster)).toBe(false);
    expect(existsSync(path.join(dataDir, 'metagameplay.lock'))).toBe(false);

    // The README's command imports the earlier data; the next start no longer mentions it.
    const { PORT: _port, ...cliEnv } = env;
    const cli = startProcess(cliEnv, 'cli.ts', ['import-pglite', path.join(dataDir, 'pglite')]);
    started.push(cli);
    const imported = await within(cli.exited, 120_000, 'the import');
    expect(imported.code, cli.stderr()).toBe(0);
    expect(cli.stdout()).toContain('players 2');
    expect(cli.stdout()).toContain('inventory 1');

    const fourth = startProcess(env);
    started.push(fourth);
    await waitHealthy(fourth, base, 'the start after the import');
    expect(linesOf(fourth.stdout(), 'import-pglite')).toEqual([]);
    const login = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ nickname: 'OldPilot', password: 'old release pass' }),
    });
    expect(login.status).toBe(200);
    const session = (await login.json()) as {
      token: string;
      loginBonus: number;
      player: { balance: number };
    };
    expect(session.player.balance).toBe(14_901 + session.loginBonus);
    const items = await fetch(`${base}/api/v1/me/items`, {
      headers: { authorization: `Bearer ${session.token}` },
    });
    const inventory = (await items.json()) as { items: { id: number }[] };
    expect(inventory.items.map((item) => item.id)).toEqual([3]);
    // Ids continue after the imported ones: a new pilot registers, and a new ledger row is written.
    const registered = await fetch(`${base}/api/v1/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ nickname: 'NewPilot_1', password: 'a new pass phrase' }),
    });
    expect(registered.status).toBe(201);

    fourth.child.kill('SIGTERM');
    expect(await within(fourth.exited, 30_000, 'the last exit')).toEqual({ code: 0, signal: null });
    for (const running of [first, second, third, fourth]) expect(running.stdout()).not.toMatch(STACK_FRAME);
  }, 600_000);
});

describe('DATABASE_URL', () => {
  const backend = backends[backends.length - 1] ?? 'embedded';

  it(`creates its database when it is missing (on ${backend})`, async () => {
    const url = new URL(serverUrlOf(backend));
    const name = `mg_missing_${randomBytes(4).toString('hex')}`;
    url.pathname = `/${name}`;
    const database = await openDatabase(parseConfig({ DATABASE_URL: url.toString() }));
    try {
      expect(await database.ping()).toBe(true);
    } finally {
      await database.close();
      const admin = new pg.Client({ connectionString: serverUrlOf(backend) });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  });

  it('that cannot be reached stops the start with one line naming DATABASE_URL', async () => {
    const refused = openDatabase(
      parseConfig({ DATABASE_URL: 'postgres://postgres@127.0.0.1:1/metagameplay' }),
    );
    await expect(refused).rejects.toThrow(ConfigError);
    await expect(refused).rejects.toThrow(
      /^Invalid configuration: DATABASE_URL does not lead to a usable database: connect ECONNREFUSED 127\.0\.0\.1:1/,
    );
    const server = startProcess({ PORT: '0', DATABASE_URL: 'postgres://postgres@127.0.0.1:1/metagameplay' });
    const exit = await within(server.exited, 90_000, 'the refusal');
    expect(exit.code).toBe(1);
    expect(server.stderr()).toMatch(/^Invalid configuration: DATABASE_URL [^\n]+\n$/);
  }, 120_000);
});
