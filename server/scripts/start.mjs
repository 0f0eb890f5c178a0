/**
 * `npm start`: runs the server built to JavaScript (server/dist/main.js) in this very process with plain
 * `node`, building it first when it is missing or older than its sources (a fresh clone, a `git pull`).
 *
 * Start-up errors end with exactly one line on stderr and a non-zero exit: main.ts prints its own line
 * (a ConfigError names the variable) and this launcher prints one for a failed build. The root `start`
 * script runs this file directly, not through `npm run -w server`: every nested npm adds its own
 * "Lifecycle script … failed" lines after ours.
 */
import { pathToFileURL } from 'node:url';
import { build, isStale, outFile } from './build.mjs';

try {
  if (isStale()) await build();
} catch (error) {
  process.stderr.write(
    `MetaGameplay could not start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
}
await import(pathToFileURL(outFile).href);
