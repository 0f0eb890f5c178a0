/**
 * `npm run cluster -- up|status|down --dir DIR`: the local high-availability topology of cluster.ts.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { up } from './cluster';
import { down, status } from './manage';

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { dir: { type: 'string' } },
  });
  const [command] = positionals;
  if (!values.dir || !command || !['up', 'status', 'down'].includes(command)) {
    throw new Error('usage: npm run cluster -- up|status|down --dir DIR');
  }
  const dir = path.resolve(values.dir);
  if (command === 'up') {
    const cluster = await up(dir);
    console.log(
      `cluster up in ${dir}: nodes ${cluster.nodes.map((n) => n.url).join(', ')}; Postgres primary via 127.0.0.1:${cluster.haproxy.primaryPort}`,
    );
  } else if (command === 'status') await status(dir);
  else await down(dir);
}

main().catch((error: unknown) => {
  process.stderr.write(`cluster: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
