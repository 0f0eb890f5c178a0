/**
 * The current text of every SQL function (server/sql/functions/<name>.sql, one function a file) and the
 * migrations that deploy it.
 *
 * Why generated migrations, not "apply the files at every start": the migrations stay the one ordered
 * history every database goes through, so a node of the previous release that restarts during a rolling
 * deploy never puts back an older body, and a function changes in the same transaction as the tables it
 * reads. The file is what a developer reads and edits; `npm run db:functions` then writes a migration
 * holding the files that differ from the last definition the migrations give. server/test/sql-functions
 * fails while a file and the migrations disagree (textually here, and on a real database).
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { migrationsFolder } from './client';

export const functionsFolder = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../sql/functions',
);

export interface SqlFunctionText {
  name: string;
  /** The statement from `CREATE` on, as compared with the migrations. */
  definition: string;
}

const CREATE_FUNCTION = /CREATE\s+(?:OR\s+REPLACE\s+)?FUNCTION\s+(\w+)\s*\(/i;

/**
 * The statement from its CREATE on, in one canonical form: `CREATE OR REPLACE FUNCTION`, trailing
 * spaces and the final semicolon dropped (a migration may say CREATE FUNCTION after a DROP).
 */
export function canonicalDefinition(statement: string): string {
  const start = statement.search(CREATE_FUNCTION);
  if (start < 0) throw new Error('not a CREATE FUNCTION statement');
  return statement
    .slice(start)
    .replace(/^CREATE\s+(?:OR\s+REPLACE\s+)?FUNCTION/i, 'CREATE OR REPLACE FUNCTION')
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .trim()
    .replace(/;$/, '');
}

/** The current texts, by file name (which must be the function's name). */
export function readFunctionFiles(folder = functionsFolder): SqlFunctionText[] {
  return readdirSync(folder)
    .filter((file) => file.endsWith('.sql'))
    .sort()
    .map((file) => {
      const text = readFileSync(path.join(folder, file), 'utf8');
      const name = CREATE_FUNCTION.exec(text)?.[1];
      if (name !== file.slice(0, -'.sql'.length)) {
        throw new Error(`${file}: the file must define the function ${file.slice(0, -4)} (found ${name})`);
      }
      return { name, definition: canonicalDefinition(text) };
    });
}

/** The last definition of each function the migrations give, in migration order (journal order). */
export function readMigratedDefinitions(
  folder = migrationsFolder,
): Map<string, { migration: string; definition: string }> {
  const journal = JSON.parse(readFileSync(path.join(folder, 'meta/_journal.json'), 'utf8')) as {
    entries: { tag: string }[];
  };
  const latest = new Map<string, { migration: string; definition: string }>();
  for (const { tag } of journal.entries) {
    const text = readFileSync(path.join(folder, `${tag}.sql`), 'utf8');
    for (const statement of text.split('--> statement-breakpoint')) {
      const name = CREATE_FUNCTION.exec(statement)?.[1];
      if (name) latest.set(name, { migration: tag, definition: canonicalDefinition(statement) });
    }
  }
  return latest;
}

/** The files whose text is not the one the migrations deploy (new functions included). */
export function functionsOutOfStep(
  files = readFunctionFiles(),
  migrated = readMigratedDefinitions(),
): SqlFunctionText[] {
  return files.filter((file) => migrated.get(file.name)?.definition !== file.definition);
}
