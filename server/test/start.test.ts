/**
 * `npm start` from the repository root, as a user runs it: the server is built to JavaScript on demand
 * (server/scripts/start.mjs) and run with plain node; a start-up error ends with our one line on stderr
 * alone (no npm "Lifecycle script … failed" lines after it) and a non-zero exit.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: plain JavaScript (run by node before anything is compiled), no type declarations
import { isStale } from '../scripts/build.mjs';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

async function npmStart(env: Record<string, string>): Promise<{ code: number; stderr: string }> {
  try {
    const { stderr } = await run(npm, ['start'], {
      cwd: root,
      // A clean environment: only what npm needs plus the variable under test.
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: '0', ...env },
      // `npm start` first builds what is stale (the web client, the server bundle): minutes on a busy machine.
      timeout: 240_000,
    });
    return { code: 0, stderr };
  } catch (error) {
    const failed = error as { code: number; stderr: string };
    return { code: failed.code, stderr: failed.stderr };
  }
}

describe('npm start', { timeout: 300_000 }, () => {
  it('prints one line on stderr and exits non-zero for a bad setting', async () => {
    const { code, stderr } = await npmStart({ LOGIN_BONUS_MIN: 'abc' });
    expect(code).not.toBe(0);
    expect(stderr.split('\n').filter(Boolean)).toEqual([expect.stringContaining('LOGIN_BONUS_MIN')]);
    // The launcher built the server (or found it fresh) before running it.
    expect(isStale()).toBe(false);
  });

  it.runIf(process.platform === 'linux')(
    'leaves no esbuild service running beside the server it built',
    async () => {
      // start.mjs builds a stale server and then runs it in the same process: whatever child the build
      // started would live as long as the server. Build in a child node and list that node's children.
      const script = `
        import { execFileSync } from 'node:child_process';
        const { build } = await import(${JSON.stringify(path.join(root, 'server/scripts/build.mjs'))});
        await build();
        process.stdout.write(execFileSync('ps', ['-o', 'args=', '--ppid', String(process.pid)], { encoding: 'utf8' }));
      `;
      const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: root });
      // A stopped child that node has not reaped yet ("<defunct>") runs no more; anything else does.
      const children = stdout
        .split('\n')
        .filter((line) => line && !line.startsWith('ps ') && !line.endsWith('<defunct>'));
      expect(children).toEqual([]);
    },
  );

  it('prints one line on stderr and exits non-zero when the database is unreachable', async () => {
    const { code, stderr } = await npmStart({ DATABASE_URL: 'postgres://x@127.0.0.1:1/x' });
    expect(code).not.toBe(0);
    expect(stderr.split('\n').filter(Boolean)).toHaveLength(1);
  });
});
