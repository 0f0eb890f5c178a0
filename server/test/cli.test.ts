/**
 * The admin command line (`npm run admin -- promote|demote <nickname>`), run as a real process against
 * the database of a running server: the role changes at once, and bad input exits non-zero with one line.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, call, register } from './helpers/http';
import { sharedBackend, startServer, type TestServer } from './helpers/server';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');
const tsx = path.join(root, 'node_modules/.bin/tsx');

async function admin(
  databaseUrl: string,
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(tsx, ['server/src/cli.ts', ...args], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent' },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('admin command line', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer(sharedBackend);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('promotes and demotes a pilot by nickname, taking effect at once', async () => {
    const pilot = await register(server);
    const create = () =>
      call(server, 'POST', api('/admin/items'), {
        token: pilot.token,
        body: { name: `Probe ${pilot.nickname}`, price: 100, power: 1 },
      });
    expect((await create()).status).toBe(403);

    const promoted = await admin(server.databaseUrl!, 'promote', pilot.nickname.toUpperCase());
    expect(promoted).toMatchObject({ code: 0, stdout: `${pilot.nickname.toUpperCase()} is now an admin\n` });
    expect((await create()).status).toBe(201);

    expect((await admin(server.databaseUrl!, 'demote', pilot.nickname)).code).toBe(0);
    expect((await create()).status).toBe(403);
  });

  it('explains unknown pilots and bad usage in one line', async () => {
    const unknown = await admin(server.databaseUrl!, 'promote', 'nobody_at_all');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe('no pilot is called "nobody_at_all"\n');
    const usage = await admin(server.databaseUrl!, 'launch');
    expect(usage.code).toBe(2);
    expect(usage.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('audit: exits 0 while the books hold, 1 naming the player whose balance left its ledger', async () => {
    const pilot = await register(server);
    expect((await call(server, 'POST', api('/shop/items/3/buy'), { token: pilot.token })).status).toBe(409);
    const healthy = await admin(server.databaseUrl!, 'audit');
    expect(healthy, healthy.stdout).toMatchObject({
      code: 0,
      stdout: 'audit: every money invariant holds\n',
    });

    const corrupt = (delta: number) =>
      server.ctx.database.query({
        name: `test_corrupt_${delta < 0 ? 'down' : 'up'}`,
        text: 'UPDATE players SET balance = balance + $2 WHERE id = $1',
        values: [pilot.player.id, delta],
      });
    await corrupt(7);
    try {
      const broken = await admin(server.databaseUrl!, 'audit');
      expect(broken.code).toBe(1);
      expect(broken.stdout).toContain(`balance_vs_ledger: player ${pilot.player.id} (${pilot.nickname})`);
      expect(broken.stdout).toContain('audit: 1 finding(s)');
    } finally {
      await corrupt(-7);
    }
  });
});
