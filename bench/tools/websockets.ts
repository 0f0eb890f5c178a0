/**
 * WebSocket bench (standalone): `npx tsx bench/tools/websockets.ts [--sockets 5000]`. Runs the `sockets`
 * scenario of the harness alone (bench/scenarios/sockets.ts: the built server on a fresh `mg_bench_ws`
 * database of BENCH_DATABASE_URL (else the machine's Postgres), with Redis when one answers; idle authenticated
 * sockets → server RSS per socket; presence broadcast latency) and prints its rows and notes. The same
 * figures come from `npm run bench -- --scenario sockets --sockets 5000`.
 */
import { parseArgs } from 'node:util';
import type { BenchOptions } from '../lib/report';
import { table } from '../lib/report';
import { socketsScenario } from '../scenarios/sockets';

const { values } = parseArgs({ options: { sockets: { type: 'string', default: '5000' } } });

const options: BenchOptions = {
  smoke: false,
  durationS: 0,
  warmupS: 0,
  rounds: 1,
  wrkThreads: 1,
  postgres: true,
  commits: ['on'],
  largePlayers: 0,
  smallPlayers: 0,
  reload: false,
  battles: 0,
  sockets: Number(values.sockets),
  log: (line) => process.stdout.write(`${line}\n`),
};

socketsScenario(options).then(
  (result) => {
    for (const note of result.notes) options.log(note);
    options.log(`\n${table([result])}`);
  },
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
