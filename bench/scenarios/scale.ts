/**
 * Scenario 3: does a request cost the same with 1,000,000 players and 10,000,000 ledger rows as with
 * 1,000 players? The same workloads (the buy+sell cycle, GET /me/items, GET /me/transactions) run with
 * the same settings against a server on each data set, as the same number of distinct players (spread
 * evenly over the large set, so they hit cold and far-apart pages); ratio = large latency ÷ small.
 */
import { openSessions, settleCycles, spreadSample } from '../lib/db';
import { alternate, type LoadResult, runLoad, warmUp } from '../lib/load';
import { type Proc, startGameServer } from '../lib/proc';
import { atMost, type BenchOptions, type Row, type ScenarioResult } from '../lib/report';
import { type Player, readRequests } from '../lib/workloads';
import { httpCycle } from './cycle';
import { type Dataset, prepareDataset } from './dataset';

interface Side {
  dataset: Dataset;
  server: Proc;
  players: Player[];
}

async function open(dataset: Dataset, sample: number, options: BenchOptions): Promise<Side> {
  const players = await openSessions(dataset.url, spreadSample(dataset.players, sample));
  const server = await startGameServer(
    `scale-${dataset.name}`,
    { DATABASE_URL: dataset.url },
    options.profileDir,
  );
  return { dataset, server, players };
}

/** One workload on one side: the cycle (settled after), or an authenticated page read. */
function workload(side: Side, name: Workload, options: BenchOptions, connections: number, warmupS: number) {
  return async (): Promise<LoadResult> => {
    if (name === 'cycle') {
      const item = side.dataset.cycleItem.id;
      const settle = () => settleCycles(side.dataset.url, item);
      return (
        await httpCycle(side.server, side.players, item, options, {
          idempotent: false,
          connections,
          warmupS,
          settle,
          preciseLatency: true,
        })
      ).load;
    }
    const load = {
      url: side.server.url,
      connections,
      durationS: options.durationS,
      requests: readRequests(side.players, PATHS[name]),
      preciseLatency: true,
    };
    await warmUp(load, warmupS);
    return runLoad(load);
  };
}

type Workload = 'cycle' | 'items' | 'transactions';
const PATHS: Record<Exclude<Workload, 'cycle'>, string> = {
  items: '/api/v1/me/items?limit=20',
  transactions: '/api/v1/me/transactions?limit=20',
};

export async function scaleScenario(options: BenchOptions): Promise<ScenarioResult> {
  if (!options.postgres) return { scenario: 'scale', rows: [], notes: [], skipped: 'needs Postgres' };
  const connections = options.connections ?? 16;
  const notes: string[] = [];
  const small = await prepareDataset('mg_bench_small', options.smallPlayers, options, true);
  const large = await prepareDataset(
    options.smoke ? 'mg_bench_large_smoke' : 'mg_bench_large',
    options.largePlayers,
    options,
    !options.reload,
  );
  notes.push(
    `large data set: ${large.players.toLocaleString('en-US')} players, ${large.ledgerRows.toLocaleString('en-US')} ledger rows ` +
      `(+ ${(2 * large.players).toLocaleString('en-US')} inventory rows), load ${large.loadSeconds.toFixed(1)} s${large.reused ? ' (reused from an earlier run)' : ''}`,
  );
  const sample = Math.min(small.players, 1_000);
  // Both servers run side by side; each workload alternates small and large rounds (best of each kept),
  // so the machine's background load falls on both data sets alike.
  const smallSide = await open(small, sample, options);
  const largeSide = await open(large, sample, options);
  const measured = {} as Record<Workload, { s: LoadResult; l: LoadResult }>;
  let rss: { s: number | null; l: number | null };
  try {
    for (const name of ['cycle', 'items', 'transactions'] as const) {
      // Warm each side once (caches, JIT, and the sampled players' pages), then measure.
      await workload(smallSide, name, options, connections, options.warmupS)();
      await workload(largeSide, name, options, connections, options.warmupS)();
      const r = await alternate(
        options.rounds,
        workload(smallSide, name, options, connections, 0),
        workload(largeSide, name, options, connections, 0),
        (x) => -x.p50,
        (x) => -x.p50,
      );
      measured[name] = { s: r.a, l: r.b };
      notes.push(
        `${name} p50 per round (ms): small ${r.allA.map((x) => x.p50.toFixed(2)).join(' ')}, large ${r.allB.map((x) => x.p50.toFixed(2)).join(' ')}`,
      );
    }
    rss = { s: smallSide.server.peakRssMiB(), l: largeSide.server.peakRssMiB() };
  } finally {
    await smallSide.server.stop();
    await largeSide.server.stop();
  }
  notes.push(
    `${sample} distinct players per data set, ${connections} connections, ${options.rounds} × ${options.durationS} s per workload and side`,
  );
  const rows: Row[] = [];
  const add = (name: string, s: LoadResult, l: LoadResult) => {
    const ratio50 = l.p50 / s.p50;
    const ratio99 = l.p99 / s.p99;
    // Latency ratio on p50 and p99 (both measured to the microsecond by the harness, see lib/load.ts).
    const ratio = Math.max(ratio50, ratio99);
    rows.push({
      scenario: 'scale',
      name: `${name} (p50 ×${ratio50.toFixed(2)}, p99 ×${ratio99.toFixed(2)})`,
      project: {
        label: `${large.players.toLocaleString('en-US')} players`,
        rate: l.okRps,
        unit: 'req/s',
        p50: l.p50,
        p99: l.p99,
        rssMiB: rss.l,
      },
      baseline: {
        label: `${small.players.toLocaleString('en-US')} players`,
        rate: s.okRps,
        unit: 'req/s',
        p50: s.p50,
        p99: s.p99,
        rssMiB: rss.s,
      },
      ratio,
      target: '≤ 1.5× latency (p50, p99)',
      verdict: atMost(ratio, 1.5),
    });
    if (l.non2xx || s.non2xx) notes.push(`${name}: non-2xx small ${s.non2xx}, large ${l.non2xx}`);
  };
  add('buy+sell cycle', measured.cycle.s, measured.cycle.l);
  add('GET /me/items', measured.items.s, measured.items.l);
  add('GET /me/transactions', measured.transactions.s, measured.transactions.l);
  return { scenario: 'scale', rows, notes };
}
