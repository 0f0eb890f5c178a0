/**
 * Scenario 2 (and 5): the buy + sell cycle over many players, HTTP against the project's server versus
 * pgbench running the same two statements directly on the same database, at the same concurrency.
 *
 * Unit: cycles per second. One cycle = one buy + one sale = two money moves (two database transactions);
 * the ratio is the same whether counted in cycles or transactions. Server peak RSS is read from VmHWM.
 * Two variants: plain requests (each move is one auto-committed statement, as the server runs it) and
 * requests with an Idempotency-Key (BEGIN; key insert; move; stored-response update; COMMIT).
 */
import { ledgerMaxId, ledgerMismatches, openSessions, settleCycles, spreadSample } from '../lib/db';
import { alternate, type LoadResult, runLoad, warmUp } from '../lib/load';
import { cycleScript, type PgbenchResult, runPgbench } from '../lib/pgbench';
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

export async function cycleScenario(options: BenchOptions): Promise<ScenarioResult> {
  if (!options.postgres) return { scenario: 'cycle', rows: [], notes: [], skipped: 'needs Postgres' };
  const connections = options.connections ?? 16;
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
  const script = await cycleScript({ sellPercent: 100, idempotent });
  const pgbench = (durationS: number) =>
    runPgbench({
      database: dataset.name,
      script,
      clients: connections,
      durationS,
      players: dataset.players,
      item,
    });
  const server = await startGameServer(
    `cycle-${idempotent ? 'idem' : 'plain'}`,
    { DATABASE_URL: dataset.url },
    options.profileDir,
  );
  let http: CycleRun;
  let pg: PgbenchResult;
  let rss: number | null;
  let httpMoves = 0;
  let pgMoves = 0;
  try {
    // Warm both sides, then alternate measured rounds (the idle server keeps its pool open meanwhile).
    const warmS = Math.round(options.warmupS);
    if (warmS > 0) {
      await httpCycle(
        server,
        players,
        item,
        { ...options, durationS: warmS },
        { idempotent, connections, warmupS: 0, settle },
      );
      await pgbench(warmS);
      await settle();
    }
    const counted = async <T>(fn: () => Promise<T>, add: (n: number) => void): Promise<T> => {
      const before = await ledgerMaxId(dataset.url);
      const out = await fn();
      await settle();
      add((await ledgerMaxId(dataset.url)) - before);
      return out;
    };
    const rounds = await alternate(
      options.rounds,
      () =>
        counted(
          () => httpCycle(server, players, item, options, { idempotent, connections, warmupS: 0, settle }),
          (n) => (httpMoves += n),
        ),
      () =>
        counted(
          () => pgbench(options.durationS),
          (n) => (pgMoves += n),
        ),
      (r) => r.cyclesPerS,
      (r) => r.tps,
    );
    http = rounds.a;
    pg = rounds.b;
    rss = server.peakRssMiB();
    const httpCycles = rounds.allA.reduce((n, r) => n + r.cyclesPerS * r.load.durationS, 0);
    const pgCycles = rounds.allB.reduce((n, r) => n + r.transactions, 0);
    notes.push(
      `${variant}: rounds cycles/s: HTTP ${rounds.allA.map((r) => r.cyclesPerS.toFixed(0)).join(' ')}, ` +
        `pgbench ${rounds.allB.map((r) => r.tps.toFixed(0)).join(' ')}; best HTTP round: ${http.load.total} requests, ` +
        `${http.failed} failed, status ${JSON.stringify(http.load.statusCodes)}; pgbench failed ${pg.failed}`,
    );
    // Every counted cycle must have written its two ledger rows (settling may add a few more).
    if (httpMoves < 2 * Math.round(httpCycles) || pgMoves < 2 * pgCycles) {
      throw new Error(
        `${variant}: fewer ledger rows than 2 per cycle (HTTP ${httpMoves}/${httpCycles}, pgbench ${pgMoves}/${pgCycles})`,
      );
    }
  } finally {
    await server.stop();
  }
  const ratio = http.cyclesPerS / pg.tps;
  const rows: Row[] = [
    {
      scenario: 'cycle',
      name: `buy+sell cycle, ${variant}, c=${connections}`,
      project: {
        label: 'HTTP',
        rate: http.cyclesPerS,
        unit: 'cycles/s',
        p50: http.load.p50,
        p99: http.load.p99,
        rssMiB: rss,
      },
      baseline: { label: 'pgbench', rate: pg.tps, unit: 'cycles/s', p50: pg.p50, p99: pg.p99 },
      ratio,
      target: '≥ 0.5× cycles/s',
      verdict: atLeast(ratio, 0.5),
      note: 'HTTP p50/p99 are per request (half a cycle); pgbench p50/p99 per cycle',
    },
  ];
  if (!idempotent) {
    rows.push({
      scenario: 'cycle',
      name: 'server peak RSS under the cycle',
      project: { label: 'server', rssMiB: rss },
      target: '≤ 250 MiB',
      verdict: rss === null ? 'MISS' : atMost(rss, 250),
    });
  }
  return rows;
}
