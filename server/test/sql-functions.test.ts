/**
 * One current text per SQL function (server/sql/functions) and the migrations that deploy it agree:
 * textually (the last definition in the migrations is the file's), and on a real database (applying the
 * files over a migrated database changes no function). MAX_MONEY is the one in packages/protocol.
 */
import { MAX_MONEY } from '@metagameplay/protocol';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDatabase } from '../src/db/client';
import {
  canonicalDefinition,
  functionsFolder,
  functionsOutOfStep,
  readFunctionFiles,
  readMigratedDefinitions,
} from '../src/db/sql-functions';
import { createTestDatabase } from './helpers/server';

describe('SQL functions: one current text each', () => {
  it('every file is what the migrations deploy last (else: npm run db:functions)', () => {
    expect(functionsOutOfStep().map((f) => f.name)).toEqual([]);
  });

  it('every function the migrations create has its file', () => {
    const files = new Set(readFunctionFiles().map((f) => f.name));
    expect([...readMigratedDefinitions().keys()].filter((name) => !files.has(name))).toEqual([]);
  });

  it('tells a changed file from its migrated text', () => {
    const [first] = readFunctionFiles();
    if (!first) throw new Error('no function files');
    const edited = { ...first, definition: `${first.definition}\n-- edited` };
    expect(functionsOutOfStep([edited]).map((f) => f.name)).toEqual([first.name]);
    expect(canonicalDefinition('CREATE FUNCTION f() RETURNS int\nLANGUAGE sql AS $$ SELECT 1 $$;  ')).toBe(
      'CREATE OR REPLACE FUNCTION f() RETURNS int\nLANGUAGE sql AS $$ SELECT 1 $$',
    );
  });

  describe('on a migrated database', () => {
    let database: Awaited<ReturnType<typeof createTestDatabase>>;
    let client: pg.Client;

    beforeAll(async () => {
      database = await createTestDatabase('embedded');
      const migrated = createPostgresDatabase(database.url, { poolSize: 1 });
      await migrated.migrate();
      await migrated.close();
      client = new pg.Client({ connectionString: database.url });
      await client.connect();
    });
    afterAll(async () => {
      await client?.end();
      await database?.drop();
    });

    const definitions = async () =>
      (
        await client.query<{ name: string; definition: string }>(
          `SELECT p.oid::regprocedure::text AS name, pg_get_functiondef(p.oid) AS definition
           FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
           WHERE n.nspname = 'public' AND p.proname LIKE 'mg\\_%' ORDER BY 1`,
        )
      ).rows;

    it('applying the current texts changes no deployed function', async () => {
      const before = await definitions();
      expect(before.map((d) => d.name.replace(/\(.*/, '')).sort()).toEqual(
        readFunctionFiles()
          .map((f) => f.name)
          .sort(),
      );
      await client.query('BEGIN');
      try {
        await client.query('SET LOCAL check_function_bodies = off');
        for (const { name } of readFunctionFiles()) {
          await client.query(readFileSync(path.join(functionsFolder, `${name}.sql`), 'utf8'));
        }
        expect(await definitions()).toEqual(before);
      } finally {
        await client.query('ROLLBACK');
      }
    });

    it('the money bound of the SQL and of the constraints is MAX_MONEY', async () => {
      const { rows } = await client.query<{ max: number }>('SELECT mg_max_money() AS max');
      expect(rows[0]?.max).toBe(MAX_MONEY);
      const checks = await client.query<{ definition: string }>(
        `SELECT pg_get_constraintdef(oid) AS definition FROM pg_constraint WHERE conname LIKE '%\\_max' OR conname LIKE '%range'`,
      );
      const bounds = checks.rows.flatMap((c) =>
        [...c.definition.matchAll(/<= \(?'?(\d+)/g)].map((m) => Number(m[1])),
      );
      expect(bounds.length).toBeGreaterThanOrEqual(3);
      expect(new Set(bounds)).toEqual(new Set([MAX_MONEY]));
    });
  });
});
