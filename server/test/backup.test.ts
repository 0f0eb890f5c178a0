/**
 * Backup and restore (`npm run admin -- backup|restore FILE`): a database with players, items, a battle
 * resolved and one pending (its stake in escrow), and Idempotency-Keys round-trips into an empty database
 * table for table, row for row; the audit holds after it; ids continue after the restored ones; a restore
 * refuses a database that is not empty and a file that is not a whole backup.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync, gzipSync } from 'node:zlib';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupDatabase, restoreDatabase } from '../src/db/backup';
import { createPostgresDatabase } from '../src/db/client';
import { api, call, fund, register } from './helpers/http';
import { createTestDatabase, sharedBackend, startServer, type TestServer } from './helpers/server';
import { WsClient } from './helpers/ws';

const root = path.resolve(import.meta.dirname, '../..');

/** Every table's rows, as text in a stable order: equal fingerprints are equal contents. */
async function fingerprint(url: string): Promise<Record<string, { rows: number; md5: string }>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const tables = (
      await client.query<{ name: string }>(
        `SELECT relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = 'public' AND c.relkind = 'r' ORDER BY 1`,
      )
    ).rows;
    const result: Record<string, { rows: number; md5: string }> = {};
    for (const { name } of tables) {
      const { rows } = await client.query<{ rows: number; md5: string }>(
        `SELECT count(*)::int AS rows, md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) AS md5 FROM "${name}" t`,
      );
      result[name] = rows[0]!;
    }
    return result;
  } finally {
    await client.end();
  }
}

async function emptyDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const created = await createTestDatabase(sharedBackend);
  const database = createPostgresDatabase(created.url, { poolSize: 1 });
  await database.migrate();
  await database.close();
  return created;
}

describe('backup and restore', () => {
  let server: TestServer;
  let dir: string;
  let file: string;
  const dropLater: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    server = await startServer(sharedBackend);
    dir = await mkdtemp(path.join(tmpdir(), 'mg-backup-'));
    file = path.join(dir, 'game.backup');
    const [a, b] = [await register(server), await register(server)];
    await fund(server, a.player.id, 500_000);
    await fund(server, b.player.id, 500_000);
    const keyed = { 'idempotency-key': 'backup-buy-1' };
    expect(
      (await call(server, 'POST', api('/shop/items/3/buy'), { token: a.token, headers: keyed })).status,
    ).toBe(200);
    expect((await call(server, 'POST', api('/shop/items/4/buy'), { token: b.token })).status).toBe(200);
    const socket = await WsClient.open(server.url, b.token);
    try {
      const challenge = await call(server, 'POST', api('/battles'), {
        token: a.token,
        body: { opponentId: b.player.id, stake: 1_000 },
      });
      expect(challenge.status).toBe(201);
      const accepted = await call(server, 'POST', api(`/battles/${challenge.body.battle.id}/accept`), {
        token: b.token,
        body: {},
      });
      expect(accepted.status).toBe(200);
      // One left pending: its stake stays in escrow in the copy.
      const pending = await call(server, 'POST', api('/battles'), {
        token: a.token,
        body: { opponentId: b.player.id, stake: 2_000 },
      });
      expect(pending.status).toBe(201);
    } finally {
      socket.socket.close();
    }
  });
  afterAll(async () => {
    await server?.close();
    for (const drop of dropLater) await drop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('round-trips every table into an empty database, and the audit holds', async () => {
    const before = await fingerprint(server.databaseUrl!);
    const backup = await backupDatabase(server.databaseUrl!, file);
    expect(backup.tables.find((t) => t.name === 'battles')?.rows).toBe(2);
    expect(backup.tables.map((t) => t.name).indexOf('players')).toBeLessThan(
      backup.tables.map((t) => t.name).indexOf('ledger'),
    );

    const target = await emptyDatabase();
    dropLater.push(target.drop);
    // The restore is run as the command line does it, and ends with the audit.
    const { stdout } = await promisify(execFile)(
      path.join(root, 'node_modules/.bin/tsx'),
      ['server/src/cli.ts', 'restore', file],
      { cwd: root, env: { ...process.env, DATABASE_URL: target.url, LOG_LEVEL: 'silent' } },
    );
    expect(stdout).toMatch(/^restored from .*: \d+ tables, [\d,]+ rows, [\d.]+ MB of data in [\d.]+ s\n/);
    expect(stdout).toContain('audit: every money invariant holds');
    expect(await fingerprint(target.url)).toEqual(before);

    // New rows take ids after the restored ones.
    const client = new pg.Client({ connectionString: target.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ fresh: number; max: number }>(
        `SELECT nextval(pg_get_serial_sequence('ledger', 'id'))::bigint AS fresh, (SELECT max(id) FROM ledger) AS max`,
      );
      expect(rows[0]!.fresh).toBeGreaterThan(rows[0]!.max);
    } finally {
      await client.end();
    }
  });

  it('refuses a database that is not empty, and leaves it as it was', async () => {
    const before = await fingerprint(server.databaseUrl!);
    await expect(restoreDatabase(server.databaseUrl!, file)).rejects.toThrow(
      /not empty \(table \w+ has rows\)/,
    );
    expect(await fingerprint(server.databaseUrl!)).toEqual(before);
  });

  it('refuses a file that is not a backup, or only part of one', async () => {
    const target = await emptyDatabase();
    dropLater.push(target.drop);
    const other = path.join(dir, 'not-a-backup');
    await writeFile(other, gzipSync('hello\n'));
    await expect(restoreDatabase(target.url, other)).rejects.toThrow('is not a MetaGameplay backup file');
    const whole = gunzipSync(await readFile(file));
    const cut = path.join(dir, 'cut.backup');
    await writeFile(cut, gzipSync(whole.subarray(0, whole.length - 10)));
    await expect(restoreDatabase(target.url, cut)).rejects.toThrow('ends early');
    // Nothing of the cut file stayed behind.
    const players = await fingerprint(target.url);
    expect(players.players?.rows).toBe(0);
  });
});
