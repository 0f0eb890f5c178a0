/**
 * The benchmark harness: `npm run bench [-- options]`. Every scenario measures the project and its
 * baseline in the same run, on this machine, with the same load settings, and prints ratios, p50/p99
 * latency and the server's peak RSS, with PASS/MISS against the targets (bench/RESULTS.md).
 *
 *   --scenario shop|cycle|scale|login|embedded|battles|sockets|economy|all   (comma-separated list allowed; default all)
 *   --smoke             tiny data sets and ~1 s runs (CI); --duration/--warmup still override
 *   --duration S        seconds per measured run (default 5)
 *   --rounds N          alternating rounds per side, the median one reported (default 3; smoke 1)
 *   --commit on|off|both  synchronous_commit of both sides' databases in cycle and battles (default both;
 *                       smoke on)
 *   --statements top|all  pg_stat_statements tracking of the bench Postgres: the statements clients send
 *                       (default), or the statements inside the money functions as well (a profile)
 *   --warmup S          seconds of unmeasured warm-up per side before measuring (default 10)
 *   --connections N     connections/clients for every scenario (defaults: shop 50, cycle 32, scale 16, login 8,
 *                       battles 16)
 *   --wrk-threads N     wrk threads for shop, cycle and battles (default 1; wrk is used when installed, else autocannon)
 *   --large-players N   players of the large data set (default 1,000,000; 10 ledger rows each)
 *   --small-players N   players of the small data set (default 1,000)
 *   --reload            reload the large data set even when a complete one exists
 *   --battles N         battles timed per event-latency row of the battles scenario (default 500; smoke 10)
 *   --sockets N         idle authenticated WebSockets of the sockets scenario (default 5,000; smoke 50)
 *   --profile           write V8 CPU profiles of the server runs into bench/results/profiles/
 *   --no-postgres       skip the scenarios that need Postgres and pgbench
 *   --json FILE         where to write the results as JSON (default bench/results/latest.json)
 *
 * BENCH_NODE_FLAGS="--perf-basic-prof ..." adds Node flags to every process the harness starts (the server and
 * the baselines), e.g. to read their JIT frames with `perf record -p PID`.
 *
 * BENCH_SERVER_ROOT=DIR measures the server of another checkout (a worktree of an earlier commit, built, with
 * its node_modules) against the same baselines: the "before" of a change, measured the same way.
 *
 * Postgres: a cluster the harness starts itself from this machine's Postgres binaries (lib/postgres.ts:
 * pg_stat_statements preloaded, the machine's own server untouched), else BENCH_DATABASE_URL; it creates
 * and recreates only databases named mg_bench_*. Redis: a redis-server of its own (lib/redis.ts), else
 * BENCH_REDIS_URL.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { adminUrl, useAdminUrl } from './lib/db';
import { pgbenchPath } from './lib/pgbench';
import { type BenchPostgres, startBenchPostgres } from './lib/postgres';
import { benchRoot } from './lib/proc';
import { startBenchRedis } from './lib/redis';
import { type BenchOptions, type ScenarioResult, table } from './lib/report';
import { battlesScenario } from './scenarios/battles';
import { cycleScenario } from './scenarios/cycle';
import { economyScenario } from './scenarios/economy';
import { embeddedScenario } from './scenarios/embedded';
import { loginScenario } from './scenarios/login';
import { scaleScenario } from './scenarios/scale';
import { shopScenario } from './scenarios/shop';
import { socketsScenario } from './scenarios/sockets';

export const SCENARIOS = [
  'shop',
  'cycle',
  'scale',
  'login',
  'embedded',
  'battles',
  'sockets',
  'economy',
] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export interface Machine {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  postgres: string | null;
  os: string;
}

function machine(postgresVersion: string | null): Machine {
  let cpuModel = os.cpus()[0]?.model ?? 'unknown';
  try {
    cpuModel = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpuModel;
  } catch {
    // not Linux
  }
  return {
    cpus: os.availableParallelism(),
    cpuModel,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    postgres: postgresVersion,
    os: `${os.type()} ${os.release()}`,
  };
}

async function postgresVersion(): Promise<string | null> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    const r = await client.query<{ v: string }>("SELECT current_setting('server_version') AS v");
    return r.rows[0]?.v ?? 'unknown';
  } catch {
    return null;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function hasPgbench(): boolean {
  try {
    execFileSync(pgbenchPath, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      scenario: { type: 'string', default: 'all' },
      smoke: { type: 'boolean', default: false },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      rounds: { type: 'string' },
      connections: { type: 'string' },
      'wrk-threads': { type: 'string' },
      'large-players': { type: 'string' },
      'small-players': { type: 'string' },
      reload: { type: 'boolean', default: false },
      battles: { type: 'string' },
      sockets: { type: 'string' },
      profile: { type: 'boolean', default: false },
      'no-postgres': { type: 'boolean', default: false },
      commit: { type: 'string' },
      statements: { type: 'string', default: 'top' },
      json: { type: 'string' },
    },
  });
  const wanted =
    values.scenario === 'all'
      ? [...SCENARIOS]
      : (values.scenario.split(',').map((s) => s.trim()) as ScenarioName[]);
  for (const name of wanted) {
    if (!SCENARIOS.includes(name))
      throw new Error(`unknown scenario "${name}" (one of ${SCENARIOS.join(', ')}, all)`);
  }
  const smoke = values.smoke;
  const commit = values.commit ?? (smoke ? 'on' : 'both');
  if (!['on', 'off', 'both'].includes(commit))
    throw new Error(`--commit must be on, off or both, not "${commit}"`);
  if (!['top', 'all'].includes(values.statements)) throw new Error('--statements must be top or all');
  const log = (line: string) => process.stdout.write(`${line}\n`);
  let pg: BenchPostgres | undefined;
  if (!values['no-postgres'] && hasPgbench()) {
    try {
      pg = await startBenchPostgres(pgbenchPath, log, values.statements as 'top' | 'all');
      useAdminUrl(pg.adminUrl);
    } catch (error) {
      log(`  bench Postgres could not start (${(error as Error).message.split('\n')[0]}); using ${adminUrl}`);
    }
  }
  const stopRedis = await startBenchRedis(log);
  try {
    return await measure(values, wanted, commit, pg, log);
  } finally {
    await pg?.stop();
    await stopRedis?.();
  }
}

type Values = Record<string, string | boolean | undefined>;

async function measure(
  values: Values,
  wanted: ScenarioName[],
  commit: string,
  pg: BenchPostgres | undefined,
  log: (line: string) => void,
): Promise<number> {
  const smoke = values.smoke === true;
  const num = (name: string, fallback: number) => {
    const raw = values[name];
    return typeof raw === 'string' ? Number(raw) : fallback;
  };
  const pgVersion = values['no-postgres'] ? null : await postgresVersion();
  const postgres = pgVersion !== null && hasPgbench();
  const options: BenchOptions = {
    smoke,
    durationS: num('duration', smoke ? 1 : 5),
    rounds: num('rounds', smoke ? 1 : 3),
    warmupS: num('warmup', smoke ? 0 : 10),
    connections: typeof values.connections === 'string' ? Number(values.connections) : undefined,
    wrkThreads: num('wrk-threads', 1),
    postgres,
    pg,
    commits: commit === 'both' ? ['on', 'off'] : [commit as 'on' | 'off'],
    profileDir: values.profile ? path.join(benchRoot, 'results', 'profiles') : undefined,
    largePlayers: num('large-players', smoke ? 2_000 : 1_000_000),
    smallPlayers: num('small-players', smoke ? 100 : 1_000),
    reload: values.reload === true,
    battles: num('battles', smoke ? 10 : 500),
    sockets: num('sockets', smoke ? 50 : 5_000),
    log,
  };
  const host = machine(pgVersion);
  const loadAtStart = os.loadavg().map((v) => Number(v.toFixed(2)));
  options.log(
    `MetaGameplay bench${smoke ? ' (smoke)' : ''}: ${host.cpus} × ${host.cpuModel}, ${host.memoryGiB} GiB, Node ${host.node}, ` +
      `Postgres ${host.postgres ?? 'not reachable'}${postgres ? '' : ' (Postgres scenarios skipped)'}`,
  );
  const runners: Record<ScenarioName, (earlier: ScenarioResult[]) => Promise<ScenarioResult>> = {
    shop: () => shopScenario(options),
    cycle: () => cycleScenario(options),
    scale: () => scaleScenario(options),
    login: () => loginScenario(options),
    embedded: (earlier) => embeddedScenario(options, earlier),
    battles: () => battlesScenario(options),
    sockets: () => socketsScenario(options),
    economy: () => economyScenario(options),
  };
  const results: ScenarioResult[] = [];
  let failed = false;
  for (const name of SCENARIOS.filter((s) => wanted.includes(s))) {
    options.log(`\n== ${name}`);
    const started = performance.now();
    try {
      const result = await runners[name](results);
      results.push(result);
      if (result.skipped) options.log(`  skipped: ${result.skipped}`);
      for (const row of result.rows) {
        options.log(
          `  ${row.name}: ${row.verdict}${row.ratio === undefined ? '' : ` (ratio ${row.ratio.toFixed(2)})`}`,
        );
      }
      for (const note of result.notes) options.log(`  note: ${note}`);
    } catch (error) {
      failed = true;
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      options.log(`  FAILED: ${message}`);
      results.push({ scenario: name, rows: [], notes: [], skipped: `failed: ${message.split('\n')[0]}` });
    }
    options.log(`  (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  }
  options.log(`\n${table(results)}\n`);
  const load = { atStart: loadAtStart, atEnd: os.loadavg().map((v) => Number(v.toFixed(2))) };
  options.log(
    `machine load average (1, 5, 15 min): at the start ${load.atStart.join(' ')}, at the end ${load.atEnd.join(' ')}`,
  );
  const jsonFile =
    (typeof values.json === 'string' ? values.json : undefined) ??
    path.join(benchRoot, 'results', smoke ? 'smoke.json' : 'latest.json');
  await mkdir(path.dirname(jsonFile), { recursive: true });
  await writeFile(
    jsonFile,
    `${JSON.stringify({ at: new Date().toISOString(), machine: host, load, options: { ...options, log: undefined, pg: undefined }, results }, null, 2)}\n`,
  );
  options.log(`results written to ${path.relative(process.cwd(), jsonFile)}`);
  return failed ? 1 : 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.join(benchRoot, 'run.ts')) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
