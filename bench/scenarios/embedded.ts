/**
 * Scenario 4b, for information: embedded mode (no DATABASE_URL: PGlite in DATA_DIR, in the server
 * process). The warm shop page and the buy+sell cycle with the same settings as scenarios 1 and 2;
 * when those ran in this run, their Postgres-mode figures are the comparison.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
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
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mg-bench-pglite-'));
  const cycleConnections = options.connections ?? (options.smoke ? 4 : 16);
  const shopConnections = options.connections ?? 50;
  // A bonus of 1,000 credits per sign-up pays for the cycle item (the cycle gets every credit back).
  const server = await startGameServer(
    'embedded',
    { DATA_DIR: dir, LOGIN_BONUS_MIN: '1000', LOGIN_BONUS_MAX: '1000' },
    options.profileDir,
  );
  const notes: string[] = [];
  let shop;
  let cycle;
  let rss: number | null;
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
    notes.push(
      `${players.length} players signed up over HTTP; cycle status ${JSON.stringify(cycle.load.statusCodes)}`,
    );
  } finally {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
  const pgSide = (scenario: string, prefix: string): Side | undefined => {
    const row = earlier.find((r) => r.scenario === scenario)?.rows.find((r) => r.name.startsWith(prefix));
    return row ? { ...row.project, label: 'Postgres mode' } : undefined;
  };
  const rows: Row[] = [];
  const shopPg = pgSide('shop', 'GET /shop/items');
  rows.push({
    scenario: 'embedded',
    name: 'GET /shop/items (warm), PGlite',
    project: {
      label: 'PGlite mode',
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
    name: `buy+sell cycle, PGlite, c=${cycleConnections}`,
    project: {
      label: 'PGlite mode',
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
