/**
 * The server's own command line: `npm run admin -- <command>`.
 *   promote <nickname>   make a player an admin (the only way to get the role)
 *   demote <nickname>    make an admin a player again
 *   migrate              apply the database migrations and exit
 *   import-pglite <dir>  import the data of an earlier version (its DATA_DIR/pglite) into the database
 * It uses the same configuration as the server (DATABASE_URL, or the embedded Postgres of DATA_DIR,
 * which must not be in use by a running server).
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { openDatabase } from './bootstrap';
import { ConfigError, parseConfig } from './config';
import { importPglite, PGLITE_IMPORTED } from './db/pglite-import';
import { nicknameKeyOf } from './features/auth/auth.service';
import { setRoleByNickname } from './features/players/players.repository';

const USAGE =
  'usage: npm run admin -- promote <nickname> | demote <nickname> | migrate | import-pglite <directory>';
const COMMANDS = ['migrate', 'promote', 'demote', 'import-pglite'];

async function run(args: string[]): Promise<number> {
  const [command, nickname] = args;
  if (!command || !COMMANDS.includes(command)) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  if (command !== 'migrate' && !nickname) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const config = parseConfig(process.env);
  const database = await openDatabase(config);
  try {
    if (command === 'import-pglite') {
      const tables = await importPglite(nickname ?? '', database);
      if (database.kind === 'embedded') {
        await writeFile(path.join(config.dataDir, PGLITE_IMPORTED), `${new Date().toISOString()}\n`);
      }
      const summary = tables.map((t) => `${t.table} ${t.rows}`).join(', ');
      process.stdout.write(`imported ${nickname} into the ${database.kind} database: ${summary}\n`);
      return 0;
    }
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
