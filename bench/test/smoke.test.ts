/**
 * CI smoke run of the benchmark harness: every scenario end to end with tiny data sets and ~1 s runs.
 * It checks that each scenario produced its rows (and that the write scenarios kept the ledger whole),
 * never the timings: numbers belong to `npm run bench` on a quiet machine, not to the test suite.
 * The Postgres scenarios (cycle with pgbench, scale, battles, sockets) run only when TEST_DATABASE_URL
 * is set; battles also needs wrk and a Redis (bench/lib/redis.ts) for all its rows.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ScenarioResult } from '../lib/report';
import { hasWrk } from '../lib/wrk';
import { main, SCENARIOS } from '../run';

const postgres = Boolean(process.env.TEST_DATABASE_URL);

describe('bench harness (smoke)', () => {
  let dir = '';
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('runs every scenario and reports a result for each', { timeout: 300_000 }, async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'mg-bench-smoke-'));
    const json = path.join(dir, 'smoke.json');
    const code = await main(['--smoke', '--json', json, ...(postgres ? [] : ['--no-postgres'])]);
    const report = JSON.parse(await readFile(json, 'utf8')) as { results: ScenarioResult[] };
    expect(report.results.map((r) => r.scenario)).toEqual([...SCENARIOS]);
    for (const result of report.results) {
      const needsPostgres = ['cycle', 'scale', 'battles', 'sockets', 'economy'].includes(result.scenario);
      if (needsPostgres && !postgres) {
        expect(result.skipped).toBe('needs Postgres');
        continue;
      }
      expect(result.skipped, `${result.scenario}: ${result.skipped}`).toBeUndefined();
      expect(result.rows.length).toBeGreaterThan(0);
      for (const row of result.rows) {
        expect(['PASS', 'MISS', 'info']).toContain(row.verdict);
        expect(row.project.rate ?? row.project.rssMiB ?? row.project.p50).toBeDefined();
      }
    }
    // The battles scenario timed its events, measured both sides where wrk is installed, and its money
    // checks ran (they throw when money is not conserved or the audit finds anything).
    const battles = report.results.find((r) => r.scenario === 'battles');
    if (postgres && battles) {
      const names = battles.rows.map((r) => r.name);
      expect(names).toContain('challenge → battle.resolved on both sockets, one node');
      // Timings and refusals under load are not judged here (MISS is allowed, as in the other rows).
      for (const row of battles.rows.filter((r) => r.name.startsWith('challenge+accept'))) {
        expect(row.project.rate).toBeGreaterThan(0);
        expect(row.baseline?.rate).toBeGreaterThan(0);
      }
      expect(battles.notes.some((n) => n.includes("the server's audit: 0 findings"))).toBe(true);
    }
    // The least node ran the cycle beside the server (the scenario throws when one of its moves failed).
    const cycle = report.results.find((r) => r.scenario === 'cycle');
    if (postgres && cycle && hasWrk()) {
      const floor = cycle.rows.find((r) =>
        r.name.startsWith('node CPU per cycle: the server vs the least node'),
      );
      expect(floor?.baseline?.rate).toBeGreaterThan(0);
    }
    expect(code).toBe(0);
  });
});
