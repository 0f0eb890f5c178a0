/**
 * Scenario 8: the console's economy queries at scale (issue 16). A data set of 1,000,000 players and
 * 10,000,000 ledger rows spread over 100 days in time order, as a live game appends them. Timed with the
 * server's own code (features/admin): summing every closed day once (cold, what the first read or the
 * hourly housekeeping does), then the endpoint's work for 7, 30 and 90 days warm, and each of its parts;
 * the open days' sums also with the BRIN index turned off, to show what it is worth. Median of 5 runs.
 */
import { sql } from 'drizzle-orm';
import { createPostgresDatabase } from '../../server/src/db/client';
import { ConsoleService } from '../../server/src/features/admin/console.service';
import {
  dailyFlows,
  escrowNow,
  rollUpClosedDays,
  topHolders,
} from '../../server/src/features/admin/economy.repository';
import { median } from '../lib/load';
import type { BenchOptions, Row, ScenarioResult } from '../lib/report';
import { prepareDataset } from './dataset';

const RUNS = 5;
const SPREAD_DAYS = 100;

async function timed(run: () => Promise<unknown>): Promise<{ ms: number; runs: number[] }> {
  const runs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    await run();
    runs.push(Math.round((performance.now() - started) * 10) / 10);
  }
  return { ms: median(runs, (x) => x), runs };
}

export async function economyScenario(options: BenchOptions): Promise<ScenarioResult> {
  if (!options.postgres) return { scenario: 'economy', rows: [], notes: [], skipped: 'needs Postgres' };
  const dataset = await prepareDataset(
    options.smoke ? 'mg_bench_economy_smoke' : 'mg_bench_economy',
    options.largePlayers,
    options,
    !options.reload,
    SPREAD_DAYS,
  );
  const database = createPostgresDatabase(dataset.url, { poolSize: 4 });
  const notes: string[] = [];
  const rows: Row[] = [];
  const row = (name: string, ms: number, note: string): void => {
    rows.push({
      scenario: 'economy',
      name,
      project: { label: 'median of 5', p50: ms, unit: 'ms' },
      verdict: 'info',
      note,
    });
  };
  try {
    const db = database.db;
    const now = Date.now();
    await db.execute(sql`TRUNCATE ledger_days`);
    const started = performance.now();
    const days = await rollUpClosedDays(db, now);
    const coldMs = performance.now() - started;
    rows.push({
      scenario: 'economy',
      name: `sum ${days} closed days once (cold)`,
      project: { label: 'once', p50: Math.round(coldMs), unit: 'ms' },
      verdict: 'info',
      note: `${(coldMs / Math.max(1, days)).toFixed(1)} ms a day of ~${Math.round(dataset.ledgerRows / SPREAD_DAYS).toLocaleString('en-US')} rows`,
    });
    const service = new ConsoleService({
      database,
      shop: { catalogChanged: async () => undefined },
      dashboard: { read: async () => ({ intervalMs: 0, nodes: [], total: { series: [] } }) },
    });
    for (const range of [7, 30, 90]) {
      const result = await timed(() => service.economy(range));
      row(`GET /admin/economy?days=${range} (warm)`, result.ms, `runs ${result.runs.join(', ')} ms`);
    }
    const flows = await timed(() => dailyFlows(db, now));
    row('daily flows: summed days + open days from the ledger', flows.ms, `runs ${flows.runs.join(', ')} ms`);
    const seq = await timed(() =>
      db.transaction(async (tx) => {
        await tx.execute(sql`SET LOCAL enable_bitmapscan = off`);
        await tx.execute(sql`SET LOCAL enable_indexscan = off`);
        return dailyFlows(tx, now);
      }),
    );
    row('the same without the BRIN index (sequential scan)', seq.ms, `runs ${seq.runs.join(', ')} ms`);
    const holders = await timed(() => topHolders(db, 10));
    row('top 10 holders (no index on balance)', holders.ms, `runs ${holders.runs.join(', ')} ms`);
    const escrow = await timed(() => escrowNow(db));
    row('escrow of pending battles', escrow.ms, `runs ${escrow.runs.join(', ')} ms`);
    notes.push(
      `${dataset.players.toLocaleString('en-US')} players, ${dataset.ledgerRows.toLocaleString('en-US')} ledger rows over ${SPREAD_DAYS} days`,
    );
  } finally {
    await database.close();
  }
  return { scenario: 'economy', rows, notes };
}
