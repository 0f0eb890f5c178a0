/**
 * Builds the server to plain JavaScript once (`npm run build:server`), so production runs `node` on
 * server/dist/main.js instead of compiling TypeScript at every start.
 *
 * One ES module bundle of server/src (and the workspace packages it imports, whose `exports` point at
 * TypeScript); every other package stays an `import` of node_modules. Files that locate siblings with
 * `import.meta.url` (the migrations folder, the catalog file) keep seeing their own source location:
 * the bundle rewrites each such `import.meta.url` to the URL of its source file, relative to the bundle,
 * so a moved checkout still finds them.
 *
 * Run directly: builds and prints one line. Imported (scripts/start.mjs): `build()`, `isStale()`.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const serverRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const repoRoot = path.resolve(serverRoot, '..');
export const outFile = path.join(serverRoot, 'dist', 'main.js');
const entry = path.join(serverRoot, 'src', 'main.ts');

/** What the bundle is made of: a change to any of these makes it stale. */
const inputs = [
  path.join(serverRoot, 'src'),
  path.join(repoRoot, 'packages', 'protocol', 'src'),
  path.join(serverRoot, 'package.json'),
  path.join(repoRoot, 'package-lock.json'),
  fileURLToPath(import.meta.url),
];

function newestMtime(file) {
  let stat;
  try {
    stat = statSync(file);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs; // a deleted file shows as a newer directory
  for (const name of readdirSync(file)) newest = Math.max(newest, newestMtime(path.join(file, name)));
  return newest;
}

/** True when server/dist/main.js is missing or older than any of its sources. */
export function isStale() {
  let built;
  try {
    built = statSync(outFile).mtimeMs;
  } catch {
    return true;
  }
  return inputs.some((input) => newestMtime(input) > built);
}

/** esbuild plugin: bare imports stay imports, except our own workspace packages (TypeScript sources). */
const externals = {
  name: 'node-modules-external',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith('@metagameplay/') || path.isAbsolute(args.path)
        ? undefined
        : { path: args.path, external: true },
    );
  },
};

/** esbuild plugin: `import.meta.url` in a bundled file → the URL of that file's source. */
const sourceUrls = {
  name: 'source-import-meta-url',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      if (!text.includes('import.meta.url')) return undefined;
      const relative = path.relative(path.dirname(outFile), args.path).split(path.sep).join('/');
      return {
        contents: text.replaceAll(
          'import.meta.url',
          `new URL(${JSON.stringify(relative)}, import.meta.url).href`,
        ),
        loader: 'ts',
      };
    });
  },
};

export async function build() {
  const esbuild = await import('esbuild').catch(() => {
    throw new Error('the server is not built (server/dist) and esbuild is not installed: run `npm ci`');
  });
  let result;
  try {
    result = await esbuild.build({
      entryPoints: [entry],
      outfile: outFile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      sourcemap: 'linked',
      logLevel: 'silent',
      write: false,
      plugins: [externals, sourceUrls],
    });
  } catch (error) {
    // esbuild's message lists every error over several lines; the first one, located, is enough here.
    const first = error?.errors?.[0];
    if (!first) throw error;
    const where = first.location ? `${first.location.file}:${first.location.line}: ` : '';
    throw new Error(`${where}${first.text}`, { cause: error });
  } finally {
    // esbuild answers through a child service process that otherwise lives as long as this one: under
    // `npm start` (which runs the server in this process) that is the server's whole life.
    await esbuild.stop();
  }
  // Each file lands whole (write, then rename): a server starting meanwhile never reads half a bundle.
  // The map first, the bundle last: the bundle's time stamp is what isStale() compares.
  mkdirSync(path.dirname(outFile), { recursive: true });
  const files = [...result.outputFiles].sort(
    (a, b) => Number(a.path === outFile) - Number(b.path === outFile),
  );
  for (const file of files) {
    const temporary = `${file.path}.${process.pid}.tmp`;
    writeFileSync(temporary, file.contents);
    renameSync(temporary, file.path);
  }
}

if (process.argv[1] && pathToFileURL(path.resolve(process.argv[1])).href === import.meta.url) {
  const started = performance.now();
  build().then(
    () => {
      const ms = Math.round(performance.now() - started);
      process.stdout.write(`built ${path.relative(process.cwd(), outFile)} in ${ms} ms\n`);
    },
    (error) => {
      process.stderr.write(
        `build:server failed: ${error instanceof Error ? error.message : String(error)}\n`,
      );
      process.exit(1);
    },
  );
}
