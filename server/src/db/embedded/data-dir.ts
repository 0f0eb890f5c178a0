/**
 * The data directory's ownership by one server at a time (a lock file with its pid), and what a killed
 * server left in it (a postmaster still running, a stale postmaster.pid and socket lock).
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { EmbeddedPostgresError } from './types';

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
export async function clearLeftovers(pgdata: string, notice: (message: string) => void): Promise<void> {
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
export async function stopPid(pid: number, exited?: Promise<unknown>): Promise<void> {
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
