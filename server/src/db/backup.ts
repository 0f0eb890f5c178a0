/**
 * `npm run admin -- backup FILE` and `restore FILE`: a consistent copy of the game's database, taken over
 * an ordinary connection, so it works the same on the embedded Postgres (whose package ships no pg_dump)
 * and on DATABASE_URL's.
 *
 * Consistent: every table is read in one REPEATABLE READ, READ ONLY transaction, so the copy is one
 * snapshot (a move either is in it whole or not at all) while the game keeps running.
 *
 * The file (gzip): a magic line, a JSON manifest line (format version, the last migration applied, the
 * tables in foreign-key order with their columns), then for each table its rows in COPY text format as
 * length-prefixed chunks ([uint32 big-endian length][bytes]) ended by a chunk of length 0.
 *
 * Restore goes into an empty database of the same schema (the migrations are applied first, the
 * backup's last migration must be this version's), table by table in one transaction, then moves every
 * sequence past the restored ids. The caller runs the money audit after it.
 */
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { readFile, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { migrationsFolder } from './client';

const MAGIC = 'METAGAMEPLAY-BACKUP\n';
const FORMAT_VERSION = 1;

export interface BackupManifest {
  format: number;
  createdAt: string;
  migration: string;
  tables: { name: string; columns: string[] }[];
}

export interface Progress {
  tablesDone: number;
  tables: number;
  bytes: number;
  table: string;
}

export interface BackupSummary {
  tables: { name: string; rows: number }[];
  bytes: number;
}

async function lastMigration(): Promise<string> {
  const journal = JSON.parse(await readFile(path.join(migrationsFolder, 'meta/_journal.json'), 'utf8')) as {
    entries: { tag: string }[];
  };
  return journal.entries.at(-1)?.tag ?? '';
}

/** The game's tables, parents before children (so a restore never meets a missing foreign key). */
async function tablesInOrder(client: pg.ClientBase): Promise<{ name: string; columns: string[] }[]> {
  const tables = (
    await client.query<{ name: string; columns: string[] }>(
      `SELECT c.relname AS name, array_agg(a.attname::text ORDER BY a.attnum) AS columns
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
       WHERE n.nspname = 'public' AND c.relkind = 'r' GROUP BY c.relname ORDER BY c.relname`,
    )
  ).rows;
  const edges = (
    await client.query<{ child: string; parent: string }>(
      `SELECT c.conrelid::regclass::text AS child, c.confrelid::regclass::text AS parent
       FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
       WHERE c.contype = 'f' AND n.nspname = 'public' AND c.conrelid <> c.confrelid`,
    )
  ).rows;
  const ordered: { name: string; columns: string[] }[] = [];
  const pending = new Map(tables.map((t) => [t.name, t]));
  while (pending.size > 0) {
    const ready = [...pending.values()].filter(
      (t) => !edges.some((e) => e.child === t.name && pending.has(e.parent)),
    );
    if (ready.length === 0) throw new Error('the tables reference each other in a cycle');
    for (const t of ready) {
      ordered.push(t);
      pending.delete(t.name);
    }
  }
  return ordered;
}

const quote = (identifier: string) => `"${identifier.replaceAll('"', '""')}"`;

function frame(chunk: Buffer): Buffer {
  const header = Buffer.alloc(4);
  header.writeUInt32BE(chunk.length);
  return Buffer.concat([header, chunk]);
}

export async function backupDatabase(
  url: string,
  file: string,
  onProgress: (progress: Progress) => void = () => undefined,
): Promise<BackupSummary> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const tables = await tablesInOrder(client);
    const manifest: BackupManifest = {
      format: FORMAT_VERSION,
      createdAt: new Date().toISOString(),
      migration: await lastMigration(),
      tables,
    };
    // Written beside the target and renamed when whole: FILE is never half a backup.
    const partial = `${file}.partial`;
    const gzip = createGzip();
    const written = pipeline(gzip, createWriteStream(partial, { mode: 0o600 }));
    written.catch(() => undefined); // awaited below; a failure before then is the one reported
    const summary: BackupSummary = { tables: [], bytes: 0 };
    try {
      const write = async (data: Buffer | string) => {
        if (!gzip.write(data)) await once(gzip, 'drain');
      };
      await write(MAGIC);
      await write(`${JSON.stringify(manifest)}\n`);
      for (const [index, table] of tables.entries()) {
        const columns = table.columns.map(quote).join(', ');
        const stream = client.query(copyTo(`COPY ${quote(table.name)} (${columns}) TO STDOUT`));
        for await (const chunk of stream as AsyncIterable<Buffer>) {
          await write(frame(chunk));
          summary.bytes += chunk.length;
          onProgress({ tablesDone: index, tables: tables.length, bytes: summary.bytes, table: table.name });
        }
        await write(frame(Buffer.alloc(0)));
        summary.tables.push({ name: table.name, rows: stream.rowCount });
        onProgress({ tablesDone: index + 1, tables: tables.length, bytes: summary.bytes, table: table.name });
      }
      gzip.end();
      await written;
      await rename(partial, file);
    } catch (error) {
      gzip.destroy();
      await unlink(partial).catch(() => undefined);
      throw error;
    }
    await client.query('COMMIT');
    return summary;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Reads the backup file as a sequence of exact-length pieces. */
class Reader {
  private buffered = Buffer.alloc(0);
  private readonly iterator: AsyncIterator<Buffer>;

  constructor(file: string) {
    this.iterator = (createReadStream(file).pipe(createGunzip()) as AsyncIterable<Buffer>)[
      Symbol.asyncIterator
    ]();
  }

  async take(length: number): Promise<Buffer> {
    while (this.buffered.length < length) {
      const next = await this.iterator.next();
      if (next.done) throw new Error('the backup file ends early: it is incomplete or damaged');
      this.buffered = Buffer.concat([this.buffered, next.value]);
    }
    const piece = this.buffered.subarray(0, length);
    this.buffered = this.buffered.subarray(length);
    return piece;
  }

  async line(maxLength: number): Promise<string> {
    for (;;) {
      const end = this.buffered.indexOf(10);
      if (end >= 0) return (await this.take(end + 1)).toString('utf8', 0, end);
      if (this.buffered.length > maxLength) throw new Error('not a MetaGameplay backup file');
      const next = await this.iterator.next();
      if (next.done) throw new Error('not a MetaGameplay backup file');
      this.buffered = Buffer.concat([this.buffered, next.value]);
    }
  }
}

export async function restoreDatabase(
  url: string,
  file: string,
  onProgress: (progress: Progress) => void = () => undefined,
): Promise<BackupSummary> {
  const reader = new Reader(file);
  if ((await reader.line(64)) !== MAGIC.trim()) throw new Error(`${file} is not a MetaGameplay backup file`);
  const manifest = JSON.parse(await reader.line(1 << 20)) as BackupManifest;
  if (manifest.format !== FORMAT_VERSION)
    throw new Error(`backup format ${manifest.format} is not supported`);
  const current = await lastMigration();
  if (manifest.migration !== current) {
    throw new Error(
      `the backup was made at migration ${manifest.migration}, this version is at ${current}: restore it with the version that made it`,
    );
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('BEGIN');
    for (const table of manifest.tables) {
      const { rows } = await client.query<{ some: boolean }>(
        `SELECT EXISTS (SELECT 1 FROM ${quote(table.name)}) AS some`,
      );
      // The catalog is the one table a fresh start fills by itself: it is replaced by the backup's.
      if (rows[0]?.some && table.name !== 'items') {
        throw new Error(
          `the database is not empty (table ${table.name} has rows): restore into an empty one`,
        );
      }
    }
    // Every other table references items only through rows the backup brings back with it.
    await client.query('TRUNCATE items CASCADE');
    const summary: BackupSummary = { tables: [], bytes: 0 };
    for (const [index, table] of manifest.tables.entries()) {
      const columns = table.columns.map(quote).join(', ');
      const stream = client.query(copyFrom(`COPY ${quote(table.name)} (${columns}) FROM STDIN`));
      const done = new Promise<void>((resolve, reject) => {
        stream.once('finish', resolve);
        stream.once('error', reject);
      });
      try {
        for (;;) {
          const length = (await reader.take(4)).readUInt32BE(0);
          if (length === 0) break;
          const chunk = await reader.take(length);
          if (!stream.write(chunk)) await once(stream, 'drain');
          summary.bytes += length;
          onProgress({
            tablesDone: index,
            tables: manifest.tables.length,
            bytes: summary.bytes,
            table: table.name,
          });
        }
      } catch (error) {
        // Ends the COPY with a failure (CopyFail) so the connection takes the ROLLBACK below.
        stream.destroy(error as Error);
        await done.catch(() => undefined);
        throw error;
      }
      stream.end();
      await done;
      summary.tables.push({ name: table.name, rows: stream.rowCount });
      onProgress({
        tablesDone: index + 1,
        tables: manifest.tables.length,
        bytes: summary.bytes,
        table: table.name,
      });
    }
    // Sequences (ledger ids, item ids) continue after the restored rows.
    for (const { seq, relname, attname } of (
      await client.query<{ seq: string; relname: string; attname: string }>(
        `SELECT pg_get_serial_sequence(quote_ident(c.relname), a.attname) AS seq, c.relname, a.attname
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
         WHERE n.nspname = 'public' AND c.relkind = 'r'
           AND pg_get_serial_sequence(quote_ident(c.relname), a.attname) IS NOT NULL`,
      )
    ).rows) {
      await client.query(
        `SELECT setval($1, COALESCE((SELECT max(${quote(attname)}) FROM ${quote(relname)}), 1),
                (SELECT max(${quote(attname)}) FROM ${quote(relname)}) IS NOT NULL)`,
        [seq],
      );
    }
    await client.query('COMMIT');
    return summary;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.end().catch(() => undefined);
  }
}
