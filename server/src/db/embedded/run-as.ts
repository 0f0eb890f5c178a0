/**
 * Running Postgres as another user: Postgres refuses to run as root, so a root server runs it as the system
 * user `metagameplay-db` (created with useradd when missing), opens DATA_DIR's private parents to it for
 * search only, and copies the binaries where it can reach them.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, chown, cp, lstat, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Binaries } from './binaries';
import { EMBEDDED_USER, EmbeddedPostgresError } from './types';

export interface RunAs {
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
export function runAsUser(): RunAs | null {
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
export async function letPostgresUserEnter(dataDir: string, runAs: RunAs): Promise<void> {
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
export async function binariesFor(runAs: RunAs, bin: Binaries): Promise<Binaries> {
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
export function checkReachable(runAs: RunAs, bin: Binaries, pgdata: string): void {
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
export async function ensureOwned(dir: string, runAs: RunAs | null): Promise<void> {
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

/** Runs a command (as `runAs` when given); resolves with its output, rejects with it on failure. */
export function run(command: string, args: string[], runAs: RunAs | null): Promise<string> {
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
