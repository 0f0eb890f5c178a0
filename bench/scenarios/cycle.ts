/**
 * Scenario 2 (and 5): the buy + sell cycle over many players, HTTP (wrk, each in-flight request its own
 * player) against the project's server on Postgres + Redis, versus the reference: pgbench `-M prepared`
 * running the least SQL for the same work (per move: BEGIN; inventory insert/delete; conditional balance
 * update; ledger insert; COMMIT) on the same database, at the same concurrency. A second, explanatory
 * baseline runs the server's own purchase and sale statements under pgbench `-M prepared`.
 *
 * Unit: cycles per second. One cycle = one buy + one sale = two money moves (two database transactions);
 * the ratio is the same whether counted in cycles or transactions. Server peak RSS is read from VmHWM.
 * Two variants: plain requests and requests with a fresh Idempotency-Key on every move; both are
 * compared with the same least-SQL reference. Every round notes how busy the machine was.
 */
import { writeFile, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { watchCpu } from '../lib/cpu';
import { freshBenchRedis } from '../lib/redis';
import { cycleLua, hasWrk, runWrk } from '../lib/wrk';
import { ledgerMaxId, ledgerMismatches, openSessions, settleCycles, spreadSample } from '../lib/db';
import { alternate, type LoadResult, runLoad, warmUp } from '../lib/load';
import { cycleScript, leastSqlCycleScript, type PgbenchResult, runPgbench } from '../lib/pgbench';
import { type Proc, startGameServer } from '../lib/proc';
import { atLeast, atMost, type BenchOptions, type Row, type ScenarioResult } from '../lib/report';
import { cycleRequests, type Player } from '../lib/workloads';
import { type Dataset, prepareDataset } from './dataset';

export interface CycleRun {
  load: LoadResult;
  /** Completed cycles per second (2xx sales). */
  cyclesPerS: number;
  failed: number;
}

/**
 * Runs the HTTP cycle against `server`: a warm-up (unless `warmupS` is 0), then one measured run.
 * `settle` (Postgres only) finishes cycles a stopped run cut in half; without it, one free list of
 * players is shared by the runs so a half-done player is never handed out again.
 */
export async function httpCycle(
  server: Proc,
  players: Player[],
  itemId: number,
  options: BenchOptions,
  extra: {
    idempotent: boolean;
    connections: number;
    warmupS?: number;
    settle?: () => Promise<unknown>;
    preciseLatency?: boolean;
  },
): Promise<CycleRun> {
  const shared = extra.settle ? undefined : [...players];
  const make = () => cycleRequests(players, itemId, { idempotent: extra.idempotent, free: shared });
  const warmupS = extra.warmupS ?? options.warmupS;
  if (warmupS > 0) {
    await warmUp(
      { url: server.url, connections: extra.connections, durationS: warmupS, requests: make().requests },
      warmupS,
    );
    await extra.settle?.();
  }
  const { requests, counters } = make();
  const load = await runLoad({
    url: server.url,
    connections: extra.connections,
    durationS: options.durationS,
    requests,
    preciseLatency: extra.preciseLatency,
  });
  await extra.settle?.();
  return {
    load,
    cyclesPerS: counters.sells / load.durationS,
    failed: counters.failedBuys + counters.failedSells + load.errors,
  };
}

/** The cycle driven by wrk: every player's token in a file, the Lua script pairs buys and sales. */
export async function wrkCycle(
  server: Proc,
  players: Player[],
  itemId: number,
  extra: { idempotent: boolean; connections: number; threads: number; durationS: number },
): Promise<CycleRun> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mg-wrk-cycle-'));
  try {
    const tokensFile = path.join(dir, 'tokens');
    await writeFile(tokensFile, `${players.map((p) => p.token).join('\n')}\n`);
    const load = await runWrk({
      url: server.url,
      connections: extra.connections,
      threads: extra.threads,
      durationS: extra.durationS,
      script: cycleLua({
        tokensFile,
        itemId,
        idempotent: extra.idempotent,
        run: randomBytes(6).toString('hex'),
        threads: extra.threads,
      }),
      counters: ['cycles', 'failed'],
    });
    return {
      load,
      cyclesPerS: (load.counters.cycles ?? 0) / load.durationS,
      failed: (load.counters.failed ?? 0) + load.errors,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function cycleScenario(options: BenchOptions): Promise<ScenarioResult> {
  if (!options.postgres) return { scenario: 'cycle', rows: [], notes: [], skipped: 'needs Postgres' };
  const connections = options.connections ?? (options.smoke ? 4 : 32);
  const dataset = await prepareDataset('mg_bench_small', options.smallPlayers, options, false);
  const rows: Row[] = [];
  const notes: string[] = [];
  // The smoke run (CI) keeps to the plain variant to stay short.
  for (const idempotent of options.smoke ? [false] : [false, true]) {
    const variant = idempotent ? 'with Idempotency-Key' : 'plain';
    rows.push(...(await cycleVsPgbench(dataset, options, connections, idempotent, variant, notes)));
  }
  const mismatches = await ledgerMismatches(dataset.url);
  notes.push(`after the runs: ${mismatches} players with balance ≠ Σ ledger (must be 0)`);
  if (mismatches !== 0) throw new Error(`ledger invariant broken for ${mismatches} players`);
  return { scenario: 'cycle', rows, notes };
}

async function cycleVsPgbench(
  dataset: Dataset,
  options: BenchOptions,
  connections: number,
  idempotent: boolean,
  variant: string,
  notes: string[],
): Promise<Row[]> {
  const item = dataset.cycleItem.id;
  const settle = () => settleCycles(dataset.url, item);
  const players = await openSessions(dataset.url, spreadSample(dataset.players, dataset.players));
  const least = leastSqlCycleScript();
  const own = await cycleScript({ sellPercent: 100, idempotent });
  const pgbench = (script: string, durationS: number) =>
    runPgbench({
      database: dataset.name,
      script,
      clients: connections,
      durationS,
      players: dataset.players,
      item,
      price: dataset.cycleItem.price,
      mode: 'prepared',
    });
  const redis = await freshBenchRedis();
  const server = await startGameServer(
    `cycle-${idempotent ? 'idem' : 'plain'}`,
    { DATABASE_URL: dataset.url, ...(redis ? { REDIS_URL: redis } : {}) },
    options.profileDir,
  );
  const wrk = hasWrk();
  const http = (durationS: number): Promise<CycleRun> =>
    wrk
      ? wrkCycle(server, players, item, { idempotent, connections, threads: options.wrkThreads, durationS })
      : httpCycle(
          server,
          players,
          item,
          { ...options, durationS },
          { idempotent, connections, warmupS: 0, settle },
        );
  let best: { http: CycleRun; least: PgbenchResult; own: PgbenchResult };
  let rss: number | null;
  let httpMoves = 0;
  let pgMoves = 0;
  const busy: string[] = [];
  try {
    // Warm both sides, then alternate measured rounds (the idle server keeps its pool open meanwhile).
    const warmS = Math.round(options.warmupS);
    if (warmS > 0) {
      await http(warmS);
      await settle();
      await pgbench(least, warmS);
      await settle();
    }
    const counted = async <T>(label: string, fn: () => Promise<T>, add: (n: number) => void): Promise<T> => {
      const before = await ledgerMaxId(dataset.url);
      const cpu = watchCpu({ server: server.pid });
      const out = await fn();
      const report = cpu.stop();
      if (report) busy.push(`${label}: ${report.text}`);
      await settle();
      add((await ledgerMaxId(dataset.url)) - before);
      return out;
    };
    const rounds = await alternate(
      options.rounds,
      () =>
        counted(
          'HTTP',
          () => http(options.durationS),
          (n) => (httpMoves += n),
        ),
      async () => ({
        least: await counted(
          'least SQL',
          () => pgbench(least, options.durationS),
          (n) => (pgMoves += n),
        ),
        // The server's own statements: one round less per run is not worth the code; skipped in smoke.
        own: options.smoke
          ? null
          : await counted(
              'server SQL',
              () => pgbench(own, options.durationS),
              () => undefined,
            ),
      }),
      (r) => r.cyclesPerS,
      (r) => r.least.tps,
    );
    const bestOwn = rounds.allB
      .map((r) => r.own)
      .reduce<PgbenchResult | null>((m, r) => (r && (!m || r.tps > m.tps) ? r : m), null);
    best = { http: rounds.a, least: rounds.b.least, own: bestOwn ?? rounds.b.least };
    rss = server.peakRssMiB();
    const httpCycles = rounds.allA.reduce((n, r) => n + r.cyclesPerS * r.load.durationS, 0);
    const pgCycles = rounds.allB.reduce((n, r) => n + r.least.transactions, 0);
    notes.push(
      `${variant} (${wrk ? `wrk -t${options.wrkThreads}` : 'autocannon'}, ${redis ? 'with Redis' : 'no Redis'}): ` +
        `rounds cycles/s: HTTP ${rounds.allA.map((r) => r.cyclesPerS.toFixed(0)).join(' ')}, ` +
        `least SQL ${rounds.allB.map((r) => r.least.tps.toFixed(0)).join(' ')}` +
        (bestOwn ? `, server SQL ${rounds.allB.map((r) => r.own?.tps.toFixed(0) ?? '-').join(' ')}` : '') +
        `; best HTTP round: ${best.http.load.total} requests, ${best.http.failed} failed, ` +
        `${best.http.load.non2xx} non-2xx; pgbench failed ${best.least.failed}`,
    );
    for (const line of busy) notes.push(`${variant} CPU, ${line}`);
    // Every counted cycle must have written its two ledger rows (settling may add a few more).
    if (httpMoves < 2 * Math.round(httpCycles) || pgMoves < 2 * pgCycles) {
      throw new Error(
        `${variant}: fewer ledger rows than 2 per cycle (HTTP ${httpMoves}/${httpCycles}, pgbench ${pgMoves}/${pgCycles})`,
      );
    }
  } finally {
    await server.stop();
  }
  const ratio = best.http.cyclesPerS / best.least.tps;
  const target = idempotent ? 0.4 : 0.5;
  const rows: Row[] = [
    {
      scenario: 'cycle',
      name: `buy+sell cycle, ${variant}, c=${connections}`,
      project: {
        label: 'HTTP',
        rate: best.http.cyclesPerS,
        unit: 'cycles/s',
        p50: best.http.load.p50,
        p99: best.http.load.p99,
        rssMiB: rss,
      },
      baseline: {
        label: 'pgbench least SQL',
        rate: best.least.tps,
        unit: 'cycles/s',
        p50: best.least.p50,
        p99: best.least.p99,
      },
      ratio,
      target: `≥ ${target}× cycles/s`,
      verdict: best.http.load.non2xx > 0 ? 'MISS' : atLeast(ratio, target),
      note: 'HTTP p50/p99 are per request (half a cycle); pgbench p50/p99 per cycle',
    },
  ];
  if (best.own !== best.least) {
    rows.push({
      scenario: 'cycle',
      name: `server's own SQL under pgbench, ${variant}`,
      project: {
        label: 'pgbench server SQL',
        rate: best.own.tps,
        unit: 'cycles/s',
        p50: best.own.p50,
        p99: best.own.p99,
      },
      baseline: { label: 'pgbench least SQL', rate: best.least.tps, unit: 'cycles/s' },
      ratio: best.own.tps / best.least.tps,
      verdict: 'info',
    });
  }
  if (!idempotent) {
    rows.push({
      scenario: 'cycle',
      name: 'server peak RSS under the cycle',
      project: { label: 'server', rssMiB: rss },
      target: '≤ 200 MiB',
      verdict: rss === null ? 'MISS' : atMost(rss, 200),
    });
  }
  return rows;
}
