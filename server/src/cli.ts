/**
 * The server's own command line: `npm run admin -- <command>`.
 *   promote <nickname>   make a player an admin (the only way to get the role)
 *   demote <nickname>    make an admin a player again
 *   migrate              apply the database migrations and exit
 *   import-pglite <dir>  import the data of an earlier version (its DATA_DIR/pglite) into the database
 *   audit                check every money invariant; prints the offending rows and exits 1 if any
 *   backup <file>        a consistent copy of the database, while the game runs (db/backup.ts)
 *   restore <file>       a backup into an empty database, then the audit
 * It uses the same configuration as the server (DATABASE_URL, or the embedded Postgres of DATA_DIR,
 * which must not be in use by a running server).
 */
import { stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { openDatabase } from './bootstrap';
import { ConfigError, parseConfig } from './config';
import type { Database } from './db/client';
import { backupDatabase, type BackupSummary, type Progress, restoreDatabase } from './db/backup';
import { importPglite, PGLITE_IMPORTED } from './db/pglite-import';
import { nicknameKeyOf } from './features/auth/auth.service';
import { setRoleByNickname } from './features/players/players.repository';
import { auditMoney } from './features/wallet/wallet.audit';

const USAGE =
  'usage: npm run admin -- promote <nickname> | demote <nickname> | migrate | import-pglite <directory> | audit | backup <file> | restore <file>';
const COMMANDS = ['migrate', 'promote', 'demote', 'import-pglite', 'audit', 'backup', 'restore'];

const megabytes = (bytes: number) => `${(bytes / 1_048_576).toFixed(1)} MB`;

/** On a terminal, one line rewritten in place: tables and bytes done so far. */
function progressLine(verb: string): (p: Progress) => void {
  if (!process.stderr.isTTY) return () => undefined;
  let last = 0;
  return (p) => {
    const now = Date.now();
    if (now - last < 100 && p.tablesDone < p.tables) return;
    last = now;
    process.stderr.write(
      `\r${verb}: ${p.tablesDone}/${p.tables} tables, ${megabytes(p.bytes)} (${p.table})\u001b[K`,
    );
  };
}

function summaryLine(verb: string, file: string, summary: BackupSummary, started: number): string {
  const rows = summary.tables.reduce((sum, t) => sum + t.rows, 0);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  return `${verb} ${file}: ${summary.tables.length} tables, ${rows.toLocaleString('en-US')} rows, ${megabytes(summary.bytes)} of data in ${seconds} s\n`;
}
const NO_ARGUMENT = new Set(['migrate', 'audit']);

/** Runs every money check, prints each finding and a verdict; the exit code says whether the books hold. */
async function printAudit(database: Database): Promise<number> {
  const findings = await auditMoney(database);
  for (const f of findings) process.stdout.write(`${f.check}: ${f.row}: ${f.detail}\n`);
  process.stdout.write(
    findings.length === 0 ? 'audit: every money invariant holds\n' : `audit: ${findings.length} finding(s)\n`,
  );
  return findings.length === 0 ? 0 : 1;
}

async function run(args: string[]): Promise<number> {
  const [command, nickname] = args;
  if (!command || !COMMANDS.includes(command)) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  if (!NO_ARGUMENT.has(command) && !nickname) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const config = parseConfig(process.env);
  const database = await openDatabase(config);
  try {
    if (command === 'backup' || command === 'restore') {
      const file = nickname ?? '';
      const started = Date.now();
      const summary =
        command === 'backup'
          ? await backupDatabase(database.url, file, progressLine('backup'))
          : await restoreDatabase(database.url, file, progressLine('restore'));
      if (process.stderr.isTTY) process.stderr.write('\r\u001b[K');
      if (command === 'backup') {
        process.stdout.write(
          summaryLine('backed up to', `${file} (${megabytes((await stat(file)).size)})`, summary, started),
        );
        return 0;
      }
      process.stdout.write(summaryLine('restored from', file, summary, started));
      return await printAudit(database);
    }
    if (command === 'import-pglite') {
      const tables = await importPglite(nickname ?? '', database);
      if (database.kind === 'embedded') {
        await writeFile(path.join(config.dataDir, PGLITE_IMPORTED), `${new Date().toISOString()}\n`);
      }
      const summary = tables.map((t) => `${t.table} ${t.rows}`).join(', ');
      process.stdout.write(`imported ${nickname} into the ${database.kind} database: ${summary}\n`);
      return 0;
    }
    if (command === 'audit') return await printAudit(database);
    if (command === 'migrate') {
      process.stdout.write(`migrations applied (${database.kind})\n`);
      return 0;
    }
    const role = command === 'promote' ? 'admin' : 'player';
    const changed = await setRoleByNickname(database.db, nicknameKeyOf(nickname ?? ''), role);
    if (!changed) {
      process.stderr.write(`no pilot is called "${nickname}"\n`);
      return 1;
    }
    process.stdout.write(`${nickname} is now ${role === 'admin' ? 'an admin' : 'a player'}\n`);
    return 0;
  } finally {
    await database.close();
  }
}

run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const message = error instanceof ConfigError || error instanceof Error ? error.message : String(error);
    process.stderr.write(`${message}\n`);
    process.exit(1);
  },
);
