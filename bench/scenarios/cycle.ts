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
 *
 * A third side, the least node (bench/baselines/http-server.ts, BASELINE=moves: node:http and pg sending
 * the server's own two statements, nothing else), is driven by the same wrk script in the reference's
 * rounds: the node CPU per cycle a move costs on this machine with no framework, Redis or events, beside
 * the server's. Not when another checkout's server is measured (its statements may differ).
 */
import { writeFile, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { watchCpu } from '../lib/cpu';
import { freshBenchRedis } from '../lib/redis';
import { cycleLua, hasWrk, runWrk } from '../lib/wrk';
import {
  ledgerMaxId,
  ledgerMismatches,
  openSessions,
  setSynchronousCommit,
  settleCycles,
  spreadSample,
} from '../lib/db';
import { type CostContext, costsText, measureRound, type RoundCosts } from '../lib/costs';
import { alternate, type LoadResult, median as medianRound, runLoad, warmUp } from '../lib/load';
import { cycleScript, leastSqlCycleScript, type PgbenchResult, runPgbench } from '../lib/pgbench';
import { type Proc, serverRoot, startGameServer, startProcess } from '../lib/proc';
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
  for (const commit of options.commits) {
    // Both sides connect afresh after this (the server is started per variant, pgbench per round).
    await setSynchronousCommit(dataset.name, commit);
    // The smoke run (CI) keeps to the plain variant to stay short.
    for (const idempotent of options.smoke ? [false] : [false, true]) {
      const variant = `${idempotent ? 'with Idempotency-Key' : 'plain'}, commit ${commit}`;
      rows.push(
        ...(await cycleVsPgbench(dataset, options, connections, { idempotent, commit }, variant, notes)),
      );
    }
  }
  await setSynchronousCommit(dataset.name, 'on');
  const mismatches = await ledgerMismatches(dataset.url);
  notes.push(`after the runs: ${mismatches} players with balance ≠ Σ ledger (must be 0)`);
  if (mismatches !== 0) throw new Error(`ledger invariant broken for ${mismatches} players`);
  return { scenario: 'cycle', rows, notes };
}

/** A round's result and what it cost. */
interface Measured<T> {
  out: T;
  costs: RoundCosts;
}

async function cycleVsPgbench(
  dataset: Dataset,
  options: BenchOptions,
  connections: number,
  setting: { idempotent: boolean; commit: 'on' | 'off' },
  variant: string,
  notes: string[],
): Promise<Row[]> {
  const { idempotent } = setting;
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
    `cycle-${idempotent ? 'idem' : 'plain'}-${setting.commit}`,
    { DATABASE_URL: dataset.url, ...(redis ? { REDIS_URL: redis } : {}) },
    options.profileDir,
  );
  const wrk = hasWrk();
  const leastNode =
    wrk && !serverRoot
      ? await startProcess({
          name: `cycle-least-node-${idempotent ? 'idem' : 'plain'}-${setting.commit}`,
          script: 'bench/baselines/http-server.ts',
          env: { BASELINE: 'moves', DATABASE_URL: dataset.url },
        }).catch(async (error: unknown) => {
          await server.stop();
          throw error;
        })
      : null;
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
  const ctx: CostContext | null = options.pg
    ? { pg: options.pg, database: dataset.name, moves: () => ledgerMaxId(dataset.url) }
    : null;
  let median: {
    http: Measured<CycleRun>;
    least: Measured<PgbenchResult>;
    own: Measured<PgbenchResult> | null;
    node: Measured<CycleRun> | null;
  };
  let rss: number | null;
  let httpMoves = 0;
  let pgMoves = 0;
  const busy: string[] = [];
  try {
    // Whatever an earlier run left half done is finished first.
    await settle();
    // Warm both sides, then alternate measured rounds (the idle server keeps its pool open meanwhile).
    const warmS = Math.round(options.warmupS);
    const leastNodeCycle = (node: Proc, durationS: number) =>
      wrkCycle(node, players, item, { idempotent, connections, threads: options.wrkThreads, durationS });
    if (warmS > 0) {
      await http(warmS);
      await settle();
      await pgbench(least, warmS);
      await settle();
      if (leastNode) {
        await leastNodeCycle(leastNode, warmS);
        await settle();
      }
    }
    const counted = async <T>(
      label: string,
      pid: number | null,
      fn: () => Promise<T>,
      add: (n: number) => void,
    ): Promise<Measured<T>> => {
      const before = await ledgerMaxId(dataset.url);
      const cpu = watchCpu(pid === null ? {} : { server: pid });
      const measured = ctx ? await measureRound(ctx, pid, fn) : { out: await fn(), costs: emptyCosts() };
      const report = cpu.stop();
      if (report) busy.push(`${label}: ${report.text}`);
      await settle();
      add((await ledgerMaxId(dataset.url)) - before);
      return measured;
    };
    const rounds = await alternate(
      options.rounds,
      () =>
        counted(
          'HTTP',
          server.pid,
          () => http(options.durationS),
          (n) => (httpMoves += n),
        ),
      async () => ({
        least: await counted(
          'least SQL',
          null,
          () => pgbench(least, options.durationS),
          (n) => (pgMoves += n),
        ),
        // The server's own statements: skipped in smoke, and when another checkout's server is measured
        // (BENCH_SERVER_ROOT: its statements are not this repository's).
        own:
          options.smoke || serverRoot
            ? null
            : await counted(
                'server SQL',
                null,
                () => pgbench(own, options.durationS),
                () => undefined,
              ),
        node: leastNode
          ? await counted(
              'least node',
              leastNode.pid,
              () => leastNodeCycle(leastNode, options.durationS),
              () => undefined,
            )
          : null,
      }),
      (r) => r.out.cyclesPerS,
      (r) => r.least.out.tps,
    );
    const ownRounds = rounds.allB.map((r) => r.own).filter((r): r is Measured<PgbenchResult> => r !== null);
    const nodeRounds = rounds.allB.map((r) => r.node).filter((r): r is Measured<CycleRun> => r !== null);
    median = {
      http: rounds.a,
      least: rounds.b.least,
      own: ownRounds.length > 0 ? medianRound(ownRounds, (r) => r.out.tps) : null,
      node: nodeRounds.length > 0 ? medianRound(nodeRounds, (r) => r.costs.nodeCpuUs ?? 0) : null,
    };
    rss = server.peakRssMiB();
    const httpCycles = rounds.allA.reduce((n, r) => n + r.out.cyclesPerS * r.out.load.durationS, 0);
    const pgCycles = rounds.allB.reduce((n, r) => n + r.least.out.transactions, 0);
    const m = median;
    notes.push(
      `${variant} (${wrk ? `wrk -t${options.wrkThreads}` : 'autocannon'}, ${redis ? 'with Redis' : 'no Redis'}): ` +
        `rounds cycles/s: HTTP ${rounds.allA.map((r) => r.out.cyclesPerS.toFixed(0)).join(' ')}, ` +
        `least SQL ${rounds.allB.map((r) => r.least.out.tps.toFixed(0)).join(' ')}` +
        (m.own ? `, server SQL ${rounds.allB.map((r) => r.own?.out.tps.toFixed(0) ?? '-').join(' ')}` : '') +
        (m.node
          ? `, least node ${rounds.allB.map((r) => r.node?.out.cyclesPerS.toFixed(0) ?? '-').join(' ')}`
          : '') +
        `; median HTTP round: ${m.http.out.load.total} requests, ${m.http.out.failed} failed, ` +
        `${m.http.out.load.non2xx} non-2xx; pgbench failed ${m.least.out.failed}`,
    );
    if (ctx) {
      notes.push(
        `${variant}, costs of the median rounds: HTTP: ${costsText(m.http.costs)}; least SQL: ${costsText(m.least.costs)}` +
          (m.own ? `; server SQL under pgbench: ${costsText(m.own.costs)}` : ''),
      );
      notes.push(
        `${variant}, every round's DB / node CPU µs per cycle: HTTP ` +
          rounds.allA.map((r) => `${cycleUs(r.costs.dbCpuUs)}/${cycleUs(r.costs.nodeCpuUs)}`).join(' ') +
          `; least SQL ${rounds.allB.map((r) => cycleUs(r.least.costs.dbCpuUs)).join(' ')}` +
          (m.node
            ? `; least node ${rounds.allB.map((r) => `${cycleUs(r.node?.costs.dbCpuUs ?? null)}/${cycleUs(r.node?.costs.nodeCpuUs ?? null)}`).join(' ')}`
            : ''),
      );
      for (const statement of m.http.costs.statements) {
        notes.push(
          `${variant}, HTTP statement: ${statement.callsPerMove.toFixed(2)}/move, mean ${statement.meanUs.toFixed(0)} µs: ${statement.query}`,
        );
      }
    }
    for (const line of busy) notes.push(`${variant} CPU, ${line}`);
    // The least node answers every move as the server does; a refusal would make its figure a lie.
    const leastNodeFailed = nodeRounds.reduce((n, r) => n + r.out.failed + r.out.load.non2xx, 0);
    if (leastNodeFailed > 0) throw new Error(`${variant}: the least node failed ${leastNodeFailed} requests`);
    // Every counted cycle must have written its two ledger rows (settling may add a few more).
    if (httpMoves < 2 * Math.round(httpCycles) || pgMoves < 2 * pgCycles) {
      throw new Error(
        `${variant}: fewer ledger rows than 2 per cycle (HTTP ${httpMoves}/${httpCycles}, pgbench ${pgMoves}/${pgCycles})`,
      );
    }
  } finally {
    await server.stop();
    await leastNode?.stop();
  }
  const http0 = median.http.out;
  const least0 = median.least.out;
  // No reference figure (pgbench finished nothing on a saturated machine): no ratio, not an infinite one.
  const ratio = least0.tps > 0 ? http0.cyclesPerS / least0.tps : Number.NaN;
  const target = idempotent ? 0.5 : 0.6;
  const rows: Row[] = [
    {
      scenario: 'cycle',
      name: `buy+sell cycle, ${variant}, c=${connections}`,
      project: {
        label: 'HTTP',
        rate: http0.cyclesPerS,
        unit: 'cycles/s',
        p50: http0.load.p50,
        p99: http0.load.p99,
        rssMiB: rss,
      },
      baseline: {
        label: 'pgbench least SQL',
        rate: least0.tps,
        unit: 'cycles/s',
        p50: least0.p50,
        p99: least0.p99,
      },
      ratio,
      target: `≥ ${target}× cycles/s`,
      verdict: http0.load.non2xx > 0 ? 'MISS' : atLeast(ratio, target),
      note: 'HTTP p50/p99 are per request (half a cycle); pgbench p50/p99 per cycle',
    },
  ];
  if (median.own) {
    const own0 = median.own.out;
    rows.push({
      scenario: 'cycle',
      name: `server's own SQL under pgbench, ${variant}`,
      project: {
        label: 'pgbench server SQL',
        rate: own0.tps,
        unit: 'cycles/s',
        p50: own0.p50,
        p99: own0.p99,
      },
      baseline: { label: 'pgbench least SQL', rate: least0.tps, unit: 'cycles/s' },
      ratio: least0.tps > 0 ? own0.tps / least0.tps : Number.NaN,
      verdict: 'info',
    });
  }
  if (ctx && !idempotent) {
    // CPU per cycle of the median round (each round's figure is printed in the notes).
    const db = median.http.costs.dbCpuUs;
    const node = median.http.costs.nodeCpuUs;
    const leastDb = median.least.costs.dbCpuUs;
    rows.push({
      scenario: 'cycle',
      name: `database CPU per buy+sell cycle, commit ${setting.commit}`,
      project: { label: 'server', rate: db === null ? undefined : db * 2, unit: 'µs/cycle' },
      baseline: { label: 'least SQL', rate: leastDb === null ? undefined : leastDb * 2, unit: 'µs/cycle' },
      target: setting.commit === 'on' ? '≤ 500 µs' : undefined,
      verdict: setting.commit === 'on' ? (db === null ? 'MISS' : atMost(db * 2, 500)) : 'info',
    });
    rows.push({
      scenario: 'cycle',
      name: `server (node) CPU per buy+sell cycle, commit ${setting.commit}`,
      project: { label: 'server', rate: node === null ? undefined : node * 2, unit: 'µs/cycle' },
      target: setting.commit === 'on' ? '≤ 300 µs' : undefined,
      verdict: setting.commit === 'on' ? (node === null ? 'MISS' : atMost(node * 2, 300)) : 'info',
    });
    const floor = median.node?.costs.nodeCpuUs ?? null;
    if (median.node) {
      rows.push({
        scenario: 'cycle',
        name: `node CPU per cycle: the server vs the least node (node:http + pg, same SQL), commit ${setting.commit}`,
        project: { label: 'server', rate: node === null ? undefined : node * 2, unit: 'µs/cycle' },
        baseline: {
          label: `least node, ${median.node.out.cyclesPerS.toFixed(0)} cycles/s`,
          rate: floor === null ? undefined : floor * 2,
          unit: 'µs/cycle',
        },
        ratio: node !== null && floor ? node / floor : Number.NaN,
        verdict: 'info',
      });
    }
  }
  if (!idempotent && setting.commit === 'on') {
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

function cycleUs(perMove: number | null): string {
  return perMove === null ? '-' : (perMove * 2).toFixed(0);
}

function emptyCosts(): RoundCosts {
  return {
    moves: 0,
    dbCpuUs: null,
    nodeCpuUs: null,
    statementsPerMove: null,
    statementUs: null,
    statements: [],
    redis: null,
  };
}
