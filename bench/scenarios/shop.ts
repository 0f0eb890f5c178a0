/**
 * Scenario 1: the warm shop page (GET /api/v1/shop/items) against a minimal node:http server that sends
 * the same bytes and headers. Same autocannon settings for both; ratio = project req/s ÷ baseline req/s.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { recreateDatabase } from '../lib/db';
import { alternate, runLoad, warmUp } from '../lib/load';
import { type Proc, startGameServer, startProcess } from '../lib/proc';
import { atLeast, type BenchOptions, type ScenarioResult } from '../lib/report';

export const SHOP_PATH = '/api/v1/shop/items';

/** Runs the project's server on Postgres when it is there, else on its own Postgres in a throw-away DATA_DIR. */
export async function startShopServer(
  name: string,
  options: BenchOptions,
): Promise<{ server: Proc; cleanup: () => Promise<void> }> {
  if (options.postgres) {
    const url = await recreateDatabase('mg_bench_shop');
    const server = await startGameServer(name, { DATABASE_URL: url }, options.profileDir);
    return { server, cleanup: async () => undefined };
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mg-bench-shop-'));
  const server = await startGameServer(name, { DATA_DIR: dir }, options.profileDir);
  return { server, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export async function shopScenario(options: BenchOptions): Promise<ScenarioResult> {
  const connections = options.connections ?? 50;
  const notes: string[] = [];
  const { server, cleanup } = await startShopServer('shop', options);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mg-bench-baseline-'));
  let baselineServer: Proc | null = null;
  try {
    const first = await fetch(`${server.url}${SHOP_PATH}`);
    const body = Buffer.from(await first.arrayBuffer());
    if (first.status !== 200) throw new Error(`shop page answered ${first.status}`);
    const headers: Record<string, string> = {};
    for (const name of ['content-type', 'etag', 'cache-control']) {
      const value = first.headers.get(name);
      if (value) headers[name] = value;
    }
    const bodyFile = path.join(dir, 'body');
    await writeFile(bodyFile, body);
    baselineServer = await startProcess({
      name: 'shop-baseline',
      script: 'bench/baselines/http-server.ts',
      env: { BASELINE: 'static', BASELINE_BODY_FILE: bodyFile, BASELINE_HEADERS: JSON.stringify(headers) },
    });
    const projectLoad = { url: `${server.url}${SHOP_PATH}`, connections, durationS: options.durationS };
    const baselineLoad = {
      url: `${baselineServer.url}${SHOP_PATH}`,
      connections,
      durationS: options.durationS,
    };
    await warmUp(projectLoad, options.warmupS);
    await warmUp(baselineLoad, options.warmupS);
    const {
      a: project,
      b: baseline,
      allA,
      allB,
    } = await alternate(
      options.rounds,
      () => runLoad(projectLoad),
      () => runLoad(baselineLoad),
      (r) => r.okRps,
      (r) => r.okRps,
    );
    const rss = server.peakRssMiB();
    if (project.non2xx || project.errors)
      notes.push(`project: ${project.non2xx} non-2xx, ${project.errors} errors`);
    notes.push(
      `${body.length} bytes per answer, ${connections} connections, ${options.rounds} × ${options.durationS} s per side; ` +
        `rounds req/s: server ${allA.map((r) => r.okRps.toFixed(0)).join(' ')}, baseline ${allB.map((r) => r.okRps.toFixed(0)).join(' ')}`,
    );
    const ratio = project.okRps / baseline.okRps;
    return {
      scenario: 'shop',
      notes,
      rows: [
        {
          scenario: 'shop',
          name: 'GET /shop/items (warm)',
          project: {
            label: 'server',
            rate: project.okRps,
            unit: 'req/s',
            p50: project.p50,
            p99: project.p99,
            rssMiB: rss,
          },
          baseline: {
            label: 'node:http',
            rate: baseline.okRps,
            unit: 'req/s',
            p50: baseline.p50,
            p99: baseline.p99,
            rssMiB: baselineServer.peakRssMiB(),
          },
          ratio,
          target: '≥ 0.7× req/s',
          verdict: atLeast(ratio, 0.7),
        },
      ],
    };
  } finally {
    await server.stop();
    await baselineServer?.stop();
    await cleanup();
    await rm(dir, { recursive: true, force: true });
  }
}
