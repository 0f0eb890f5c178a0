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
      timeout: 60_000,
    });
    return { code: 0, stderr };
  } catch (error) {
    const failed = error as { code: number; stderr: string };
    return { code: failed.code, stderr: failed.stderr };
  }
}

describe('npm start', () => {
  it('prints one line on stderr and exits non-zero for a bad setting', { timeout: 90_000 }, async () => {
    const { code, stderr } = await npmStart({ LOGIN_BONUS_MIN: 'abc' });
    expect(code).not.toBe(0);
    expect(stderr.split('\n').filter(Boolean)).toEqual([expect.stringContaining('LOGIN_BONUS_MIN')]);
    // The launcher built the server (or found it fresh) before running it.
    expect(isStale()).toBe(false);
  });

  it('prints one line on stderr and exits non-zero when the database is unreachable', async () => {
    const { code, stderr } = await npmStart({ DATABASE_URL: 'postgres://x@127.0.0.1:1/x' });
    expect(code).not.toBe(0);
    expect(stderr.split('\n').filter(Boolean)).toHaveLength(1);
  });
});
