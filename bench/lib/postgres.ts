/**
 * The Postgres the bench measures on: a cluster of its own, started from this machine's Postgres binaries
 * (the directory pgbench comes from) with `pg_stat_statements` preloaded, so the machine's own server
 * keeps its configuration and the bench can read what every statement costs. The cluster lives in
 * `<tmp>/mg-bench-postgres` and is kept between runs (the large data set survives), on a port of its own;
 * as root it runs as the embedded database's system user, as `npm start` does.
 *
 * BENCH_DATABASE_URL points the bench at another server instead (then statement figures are reported
 * only when that server has pg_stat_statements loaded).
 *
 * Database CPU is read from /proc by lib/cpu.ts (cpuSeconds with the postmaster's whole tree).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { letPostgresUserEnter, runAsUser } from '../../server/src/db/embedded/run-as';
import { freePort } from './proc';

export interface StatementCost {
  query: string;
  calls: number;
  /** Mean execution time inside Postgres, µs (total_exec_time / calls). */
  meanUs: number;
  totalMs: number;
}

export interface BenchPostgres {
  /** URL of the `postgres` database (the bench creates and recreates only mg_bench_* databases). */
  adminUrl: string;
  /** The postmaster's pid; null for an outside server (then no CPU figures). */
  pid: number | null;
  /** Whether pg_stat_statements answers. */
  statements: boolean;
  stop(): Promise<void>;
}

const SHARED_DIR = path.join(os.tmpdir(), 'mg-bench-postgres');
/** Settings passed on the command line (`-c`), over the cluster's defaults. */
const SETTINGS: Record<string, string> = {
  listen_addresses: '127.0.0.1',
  max_connections: '200',
  shared_buffers: '256MB',
  shared_preload_libraries: 'pg_stat_statements',
  'pg_stat_statements.track_utility': 'on',
  'pg_stat_statements.max': '2000',
  log_min_messages: 'warning',
};

function binDir(pgbench: string): string {
  return path.dirname(pgbench);
}

/** Starts (creating it the first time) the bench's own cluster, or connects to BENCH_DATABASE_URL. */
export async function startBenchPostgres(
  pgbench: string,
  log: (line: string) => void,
  track: 'top' | 'all' = 'top',
): Promise<BenchPostgres> {
  const outside = process.env.BENCH_DATABASE_URL;
  if (outside) {
    const url = new URL(outside);
    url.pathname = '/postgres';
    return {
      adminUrl: url.toString(),
      pid: null,
      statements: await enableStatements(url.toString()),
      stop: async () => undefined,
    };
  }
  const bin = binDir(pgbench);
  const runAs = runAsUser();
  // Another bench (a CI run beside a manual one) is using the kept cluster: this run gets one of its own,
  // removed when it stops.
  const busy = clusterInUse(path.join(SHARED_DIR, 'data'));
  const CLUSTER_DIR = busy ? await mkdtemp(path.join(os.tmpdir(), 'mg-bench-postgres-')) : SHARED_DIR;
  const spawnOptions = runAs ? { uid: runAs.uid, gid: runAs.gid } : {};
  const data = path.join(CLUSTER_DIR, 'data');
  if (!existsSync(path.join(data, 'PG_VERSION'))) {
    await mkdir(CLUSTER_DIR, { recursive: true, mode: 0o700 });
    if (runAs) {
      spawnSync('chown', [`${runAs.uid}:${runAs.gid}`, CLUSTER_DIR]);
      await letPostgresUserEnter(CLUSTER_DIR, runAs);
    }
    log(`  bench Postgres: initdb in ${data}`);
    const init = spawnSync(
      path.join(bin, 'initdb'),
      ['-D', data, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C.UTF-8'],
      { ...spawnOptions, encoding: 'utf8' },
    );
    if (init.status !== 0) throw new Error(`initdb failed: ${(init.stderr || init.stdout).trim()}`);
  } else if (runAs) {
    await letPostgresUserEnter(CLUSTER_DIR, runAs);
  }
  const socketDir = path.join(CLUSTER_DIR, 'socket');
  await mkdir(socketDir, { recursive: true });
  if (runAs) spawnSync('chown', [`${runAs.uid}:${runAs.gid}`, socketDir]);
  // `top`: one figure per statement a client sends; `all`: the statements inside the functions too.
  const settings = { ...SETTINGS, 'pg_stat_statements.track': track, unix_socket_directories: socketDir };
  const port = await freePort();
  const child: ChildProcess = spawn(
    path.join(bin, 'postgres'),
    ['-D', data, '-p', String(port), ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`])],
    { ...spawnOptions, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
  await waitConnectable(adminUrl, child, () => stderr);
  const statements = await enableStatements(adminUrl);
  log(`  bench Postgres: port ${port}, pid ${child.pid}, pg_stat_statements ${statements ? 'on' : 'off'}`);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    adminUrl,
    pid: child.pid ?? null,
    statements,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGINT'); // fast shutdown
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
      if (busy) await rm(CLUSTER_DIR, { recursive: true, force: true });
    },
  };
}

/** Whether a live postmaster holds `data` (its pid file names a running process). */
function clusterInUse(data: string): boolean {
  try {
    const pid = Number(readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
    if (!Number.isInteger(pid) || pid <= 0) return false;
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitConnectable(url: string, child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the bench Postgres exited: ${stderr().trim()}`);
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 200));
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  throw new Error(`the bench Postgres did not accept connections within 60 s: ${stderr().trim()}`);
}

async function enableStatements(adminUrl: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: adminUrl });
  try {
    await client.connect();
    await client.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    await client.query('SELECT pg_stat_statements_reset()');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Forgets every statement's figures (before a measured round). */
export async function resetStatements(adminUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  try {
    await client.connect();
    await client.query('SELECT pg_stat_statements_reset()');
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Statements of `database` since the last reset, costliest first (the bench's own queries left out). */
export async function statementCosts(adminUrl: string, database: string): Promise<StatementCost[]> {
  const client = new pg.Client({ connectionString: adminUrl });
  try {
    await client.connect();
    const r = await client.query<{ query: string; calls: string; total: number }>(
      `SELECT s.query, s.calls, s.total_exec_time AS total
       FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
       WHERE d.datname = $1 AND s.calls > 0
       ORDER BY s.total_exec_time DESC`,
      [database],
    );
    return r.rows.map((row) => ({
      query: row.query.replace(/\s+/g, ' ').trim(),
      calls: Number(row.calls),
      totalMs: row.total,
      meanUs: (row.total * 1000) / Number(row.calls),
    }));
  } finally {
    await client.end().catch(() => undefined);
  }
}
