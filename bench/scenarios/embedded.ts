/**
 * Scenario 4b, for information: embedded mode (no DATABASE_URL: the server starts its own PostgreSQL in
 * DATA_DIR). The first start (initdb) and a restart on the same directory, timed from spawn to /healthz;
 * the warm shop page and the buy+sell cycle with the same settings as scenarios 1 and 2 (when those ran
 * in this run, their external-Postgres figures are the comparison); and the memory of the server and its
 * Postgres together as PSS (proportional set size: shared pages, Postgres' shared buffers among them,
 * counted once across the processes).
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { childrenOf } from '../lib/cpu';
import { runLoad, warmUp } from '../lib/load';
import { startGameServer } from '../lib/proc';
import type { BenchOptions, Row, ScenarioResult, Side } from '../lib/report';
import { cheapestItem, registerPlayers } from '../lib/workloads';
import { httpCycle } from './cycle';
import { SHOP_PATH } from './shop';

export async function embeddedScenario(
  options: BenchOptions,
  earlier: ScenarioResult[],
): Promise<ScenarioResult> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mg-bench-embedded-'));
  const dataDir = path.join(dir, 'data');
  const cycleConnections = options.connections ?? (options.smoke ? 4 : 16);
  const shopConnections = options.connections ?? 50;
  // A bonus of 1,000 credits per sign-up pays for the cycle item (the cycle gets every credit back).
  const env = { DATA_DIR: dataDir, LOGIN_BONUS_MIN: '1000', LOGIN_BONUS_MAX: '1000' };
  const notes: string[] = [];
  let t0 = performance.now();
  const firstStart = await startGameServer('embedded', env, options.profileDir);
  const firstStartMs = performance.now() - t0;
  await firstStart.stop();
  t0 = performance.now();
  const server = await startGameServer('embedded', env, options.profileDir);
  const restartMs = performance.now() - t0;
  notes.push(
    `first start (initdb, migrations, catalog) ${Math.round(firstStartMs)} ms; restart on the same DATA_DIR ${Math.round(restartMs)} ms (spawn to /healthz, tsx included)`,
  );
  let shop;
  let cycle;
  let rss: number | null;
  let pss: { serverMiB: number; postgresMiB: number; processes: number } | null;
  try {
    const shopLoad = {
      url: `${server.url}${SHOP_PATH}`,
      connections: shopConnections,
      durationS: options.durationS,
    };
    await warmUp(shopLoad, options.warmupS);
    shop = await runLoad(shopLoad);
    const players = await registerPlayers(
      server.url,
      options.smoke ? 4 : cycleConnections * 2,
      'emb',
      'correct horse battery',
    );
    const item = await cheapestItem(server.url);
    if (item.price > 100_000)
      throw new Error(`the cheapest item (${item.price}) costs more than the sign-up bonus`);
    cycle = await httpCycle(server, players, item.id, options, {
      idempotent: false,
      connections: cycleConnections,
    });
    rss = server.peakRssMiB();
    pss = pssOf(server.pid, dataDir);
    if (pss) {
      notes.push(
        `PSS after the load: server ${pss.serverMiB.toFixed(0)} MiB + its Postgres ${pss.postgresMiB.toFixed(0)} MiB (${pss.processes} processes) = ${(pss.serverMiB + pss.postgresMiB).toFixed(0)} MiB`,
      );
    }
    notes.push(
      `${players.length} players signed up over HTTP; cycle status ${JSON.stringify(cycle.load.statusCodes)}`,
    );
  } finally {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
  const pgSide = (scenario: string, prefix: string): Side | undefined => {
    const row = earlier.find((r) => r.scenario === scenario)?.rows.find((r) => r.name.startsWith(prefix));
    return row ? { ...row.project, label: 'external Postgres' } : undefined;
  };
  const rows: Row[] = [];
  const shopPg = pgSide('shop', 'GET /shop/items');
  rows.push({
    scenario: 'embedded',
    name: 'GET /shop/items (warm), embedded Postgres',
    project: {
      label: 'embedded Postgres',
      rate: shop.okRps,
      unit: 'req/s',
      p50: shop.p50,
      p99: shop.p99,
      rssMiB: rss,
    },
    baseline: shopPg,
    ratio: shopPg?.rate ? shop.okRps / shopPg.rate : undefined,
    verdict: 'info',
  });
  const cyclePg = pgSide('cycle', 'buy+sell cycle, plain');
  rows.push({
    scenario: 'embedded',
    name: `buy+sell cycle, embedded Postgres, c=${cycleConnections}`,
    project: {
      label: 'embedded Postgres',
      rate: cycle.cyclesPerS,
      unit: 'cycles/s',
      p50: cycle.load.p50,
      p99: cycle.load.p99,
      rssMiB: rss,
    },
    baseline: cyclePg,
    ratio: cyclePg?.rate ? cycle.cyclesPerS / cyclePg.rate : undefined,
    verdict: 'info',
  });
  return { scenario: 'embedded', rows, notes };
}

function pssKiB(pid: number): number {
  try {
    const match = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

/** PSS of the server process and of its Postgres (the postmaster of DATA_DIR and its children), Linux only. */
function pssOf(
  serverPid: number,
  dataDir: string,
): { serverMiB: number; postgresMiB: number; processes: number } | null {
  if (process.platform !== 'linux') return null;
  let postmaster: number;
  try {
    postmaster = Number(
      readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0],
    );
  } catch {
    return null;
  }
  const pids = [postmaster, ...childrenOf(postmaster)];
  // The bench starts node itself (no tsx wrapper): serverPid is the server.
  const postgresKiB = pids.reduce((sum, pid) => sum + pssKiB(pid), 0);
  return { serverMiB: pssKiB(serverPid) / 1024, postgresMiB: postgresKiB / 1024, processes: pids.length };
}
