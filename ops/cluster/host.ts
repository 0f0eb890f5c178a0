/**
 * What the cluster needs of the machine: Debian's packages (installed when missing), the system user
 * Postgres runs as, and what Patroni says about its members.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PG_BIN } from './configs';

const PACKAGES: [binary: string, debianPackage: string][] = [
  ['/usr/bin/patroni', 'patroni'],
  ['/usr/bin/etcd', 'etcd-server'],
  ['/usr/sbin/haproxy', 'haproxy'],
  ['/usr/bin/redis-sentinel', 'redis-sentinel'],
  ['/usr/bin/redis-server', 'redis-server'],
  [`${PG_BIN}/postgres`, 'postgresql-15'],
];

export function ensurePackages(): void {
  const missing = PACKAGES.filter(([binary]) => !existsSync(binary)).map(([, pkg]) => pkg);
  if (missing.length === 0) return;
  console.log(`installing ${missing.join(', ')} (apt-get)`);
  const sudo = process.getuid?.() === 0 ? [] : ['sudo'];
  const apt = (...args: string[]) =>
    execFileSync(
      sudo[0] ?? 'apt-get',
      [...(sudo.length ? ['apt-get'] : []), '-o', 'DPkg::Lock::Timeout=600', ...args],
      {
        stdio: ['ignore', 'ignore', 'inherit'],
        env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      },
    );
  apt('update', '-qq');
  apt('install', '-y', '-qq', ...missing);
}

/** Postgres refuses to run as root: as root, Patroni (and so Postgres) runs as the system user postgres. */
export function postgresUser(): { name: string; uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  return { name: 'postgres', uid, gid };
}

export function postmasterPid(dataDir: string): number {
  try {
    return Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]) || 0;
  } catch {
    return 0;
  }
}

export async function patroniMembers(
  patroniUrl: string,
): Promise<{ name: string; role: string; state: string }[]> {
  const response = await fetch(`${patroniUrl}/cluster`, { signal: AbortSignal.timeout(2_000) });
  return ((await response.json()) as { members: { name: string; role: string; state: string }[] }).members;
}
