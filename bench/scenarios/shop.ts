/**
 * Scenario 1: the warm shop page (GET /api/v1/shop/items) against a minimal node:http server that sends
 * the same bytes and headers. The project's server runs on Postgres + Redis (when Redis answers), as a
 * production node does. Same wrk settings for both (autocannon when wrk is not installed); ratio =
 * project req/s ÷ baseline req/s. After the rounds, the baseline runs once more with one more wrk thread
 * and once with twice the connections: if the generator were the limit, those figures would rise.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { recreateDatabase } from '../lib/db';
import { alternate, type LoadResult, runLoad } from '../lib/load';
import { type Proc, startGameServer, startProcess } from '../lib/proc';
import { watchCpu } from '../lib/cpu';
import { freshBenchRedis } from '../lib/redis';
import { atLeast, type BenchOptions, type ScenarioResult } from '../lib/report';
import { hasWrk, runWrk } from '../lib/wrk';

export const SHOP_PATH = '/api/v1/shop/items';

/** Runs the project's server on Postgres when it is there, else on its own Postgres in a throw-away DATA_DIR. */
export async function startShopServer(
  name: string,
  options: BenchOptions,
): Promise<{ server: Proc; cleanup: () => Promise<void>; redis: boolean }> {
  const redis = await freshBenchRedis();
  const redisEnv: Record<string, string> = redis ? { REDIS_URL: redis } : {};
  if (options.postgres) {
    const url = await recreateDatabase('mg_bench_shop');
    const server = await startGameServer(name, { DATABASE_URL: url, ...redisEnv }, options.profileDir);
    return { server, cleanup: async () => undefined, redis: redis !== null };
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mg-bench-shop-'));
  const server = await startGameServer(name, { DATA_DIR: dir, ...redisEnv }, options.profileDir);
  return { server, cleanup: () => rm(dir, { recursive: true, force: true }), redis: redis !== null };
}

export async function shopScenario(options: BenchOptions): Promise<ScenarioResult> {
  const connections = options.connections ?? 50;
  const notes: string[] = [];
  const { server, cleanup, redis } = await startShopServer('shop', options);
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
    const wrk = hasWrk();
    const threads = options.wrkThreads;
    const load = (url: string, durationS: number, extra: { threads?: number; connections?: number } = {}) =>
      wrk
        ? runWrk({
            url,
            connections: extra.connections ?? connections,
            threads: extra.threads ?? threads,
            durationS,
          })
        : runLoad({ url, connections: extra.connections ?? connections, durationS });
    const projectUrl = `${server.url}${SHOP_PATH}`;
    const baselineUrl = `${baselineServer.url}${SHOP_PATH}`;
    if (options.warmupS > 0) {
      await load(projectUrl, options.warmupS);
      await load(baselineUrl, options.warmupS);
    }
    const busy: string[] = [];
    const watched = async (label: string, pid: number, url: string) => {
      const cpu = watchCpu({ [label]: pid });
      const result = await load(url, options.durationS);
      const report = cpu.stop();
      if (report) busy.push(`${label} round: ${report.text}`);
      return result;
    };
    const {
      a: project,
      b: baseline,
      allA,
      allB,
    } = await alternate(
      options.rounds,
      () => watched('server', server.pid, projectUrl),
      () => watched('baseline', baselineServer!.pid, baselineUrl),
      (r) => r.okRps,
      (r) => r.okRps,
    );
    if (wrk && !options.smoke) {
      // Headroom: does the baseline's figure move when the generator gets another thread, or more
      // connections? Each side's best figure above is what the ratio uses; these are for RESULTS.md.
      const more: [string, LoadResult][] = [
        [`wrk -t${threads + 1}`, await load(baselineUrl, options.durationS, { threads: threads + 1 })],
        [
          `c=${connections * 2}`,
          await load(baselineUrl, options.durationS, { connections: connections * 2 }),
        ],
        [`server wrk -t${threads + 1}`, await load(projectUrl, options.durationS, { threads: threads + 1 })],
      ];
      notes.push(
        `generator headroom (baseline unless named): -t${threads} c=${connections} best ${baseline.okRps.toFixed(0)} req/s; ` +
          more.map(([label, r]) => `${label}: ${r.okRps.toFixed(0)} req/s`).join('; '),
      );
    }
    const rss = server.peakRssMiB();
    for (const line of busy) notes.push(`CPU, ${line}`);
    if (project.non2xx || project.errors)
      notes.push(`project: ${project.non2xx} non-2xx, ${project.errors} errors`);
    notes.push(
      `${wrk ? `wrk -t${threads}` : 'autocannon'}, ${redis ? 'with Redis' : 'no Redis'}, ` +
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
