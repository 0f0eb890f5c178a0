/**
 * Imports the data of an earlier version, which kept its database in DATA_DIR/pglite (PGlite: Postgres
 * compiled to WebAssembly, inside the server process), into the current database:
 * `npm run admin -- import-pglite <dir>`.
 *
 * The directory is copied first (the original is never written), the copy is opened with PGlite and brought
 * to the current schema by the same migrations, then every table is copied row for row (as JSON, typed by
 * the target's own row types) in one transaction, in foreign-key order, and the id sequences are moved
 * past the imported ids. The target must hold no players yet (a fresh DATA_DIR, or one where the server
 * only loaded the catalog). PGlite is loaded only here, never by the server.
 */
import { existsSync } from 'node:fs';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { migrationsFolder, rowsOf, type Database } from './client';

/** Written in DATA_DIR after an import, so the start-up line about earlier data is said no more. */
export const PGLITE_IMPORTED = 'pglite-imported';

export class PgliteImportError extends Error {
  override name = 'PgliteImportError';
}

export interface ImportedTable {
  table: string;
  rows: number;
}

function pgliteDirectory(dir: string): string {
  if (existsSync(path.join(dir, 'PG_VERSION'))) return dir;
  if (existsSync(path.join(dir, 'pglite', 'PG_VERSION'))) return path.join(dir, 'pglite');
  throw new PgliteImportError(
    `${dir} is not a PGlite data directory (no PG_VERSION in it or in its pglite/)`,
  );
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** The public tables of the target, parents before the tables that reference them. */
async function tablesInOrder(target: Database): Promise<string[]> {
  const tables = rowsOf<{ name: string }>(
    await target.db.execute(sql`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'`),
  ).map((row) => row.name);
  const edges = rowsOf<{ child: string; parent: string }>(
    await target.db.execute(sql`
      SELECT c.conrelid::regclass::text AS child, c.confrelid::regclass::text AS parent
      FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
      WHERE c.contype = 'f' AND n.nspname = 'public'`),
  );
  const unquote = (name: string) => name.replace(/^"(.*)"$/, '$1').replaceAll('""', '"');
  const parents = new Map<string, Set<string>>(tables.map((t) => [t, new Set<string>()]));
  for (const { child, parent } of edges) {
    if (unquote(child) !== unquote(parent)) parents.get(unquote(child))?.add(unquote(parent));
  }
  const ordered: string[] = [];
  const visit = (table: string, path: Set<string>) => {
    if (ordered.includes(table) || path.has(table)) return;
    path.add(table);
    for (const parent of parents.get(table) ?? []) visit(parent, path);
    ordered.push(table);
  };
  for (const table of [...tables].sort()) visit(table, new Set());
  return ordered;
}

export async function importPglite(sourceDir: string, target: Database): Promise<ImportedTable[]> {
  const source = pgliteDirectory(path.resolve(sourceDir));
  const work = await mkdtemp(path.join(os.tmpdir(), 'mg-pglite-import-'));
  try {
    const copy = path.join(work, 'pglite');
    await cp(source, copy, { recursive: true });
    const { PGlite } = await import('@electric-sql/pglite');
    const { drizzle } = await import('drizzle-orm/pglite');
    const { migrate } = await import('drizzle-orm/pglite/migrator');
    const pglite = new PGlite(copy);
    try {
      await pglite.waitReady;
      await migrate(drizzle(pglite), { migrationsFolder });
      const sourceTables = new Set(
        (
          await pglite.query<{ name: string }>(
            "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'",
          )
        ).rows.map((row) => row.name),
      );
      const tables = await tablesInOrder(target);
      return await target.db.transaction(async (tx) => {
        const players = rowsOf<{ n: number }>(await tx.execute(sql`SELECT count(*)::int AS n FROM players`));
        if ((players[0]?.n ?? 0) > 0) {
          throw new PgliteImportError(
            'the target database already has players; import into a fresh DATA_DIR (or an empty database)',
          );
        }
        await tx.execute(sql.raw(`TRUNCATE ${tables.map(quote).join(', ')} RESTART IDENTITY CASCADE`));
        const imported: ImportedTable[] = [];
        for (const table of tables) {
          if (!sourceTables.has(table)) continue;
          const json = (
            await pglite.query<{ rows: string }>(
              `SELECT coalesce(json_agg(t), '[]'::json)::text AS rows FROM ${quote(table)} t`,
            )
          ).rows[0]?.rows;
          const columns = rowsOf<{ name: string }>(
            await tx.execute(sql`
              SELECT attname AS name FROM pg_attribute
              WHERE attrelid = ${`public.${quote(table)}`}::regclass AND attnum > 0
                AND NOT attisdropped AND attgenerated = ''
              ORDER BY attnum`),
          ).map((row) => quote(row.name));
          const list = columns.join(', ');
          const result = await tx.execute(
            sql`${sql.raw(`INSERT INTO ${quote(table)} (${list}) OVERRIDING SYSTEM VALUE SELECT ${list} FROM json_populate_recordset(NULL::${quote(table)}, `)}${json ?? '[]'}::json)`,
          );
          imported.push({ table, rows: (result as { rowCount?: number | null }).rowCount ?? 0 });
          // Ids handed out after the import must not collide with the imported ones.
          const sequences = rowsOf<{ column: string; sequence: string }>(
            await tx.execute(sql`
              SELECT attname AS column, pg_get_serial_sequence(${quote(table)}, attname) AS sequence
              FROM pg_attribute
              WHERE attrelid = ${`public.${quote(table)}`}::regclass AND attnum > 0 AND NOT attisdropped`),
          ).filter((row) => row.sequence);
          for (const { column, sequence } of sequences) {
            await tx.execute(
              sql.raw(
                `SELECT setval('${sequence.replaceAll("'", "''")}', coalesce(max(${quote(column)}), 0) + 1, false) FROM ${quote(table)}`,
              ),
            );
          }
        }
        return imported;
      });
    } finally {
      await pglite.close().catch(() => undefined);
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
