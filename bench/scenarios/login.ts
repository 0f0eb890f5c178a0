/**
 * Scenario 4a, for information: POST /api/v1/auth/login (argon2id verify with the server's production
 * cost, then one statement opening the session and paying the login bonus) against a node:http server
 * that only runs argon2id.verify on the same hash. Both are bound by argon2 on libuv's thread pool.
 */
import { hash } from '@node-rs/argon2';
import { runLoad, warmUp } from '../lib/load';
import { startProcess } from '../lib/proc';
import type { BenchOptions, ScenarioResult } from '../lib/report';
import { registerPlayers } from '../lib/workloads';
import { startShopServer } from './shop';

const PASSWORD = 'correct horse battery staple';

export async function loginScenario(options: BenchOptions): Promise<ScenarioResult> {
  const connections = options.connections ?? 8;
  const { server, cleanup } = await startShopServer('login', options);
  let project;
  let rss: number | null;
  let registered: number;
  try {
    const players = await registerPlayers(server.url, options.smoke ? 2 : 16, 'login', PASSWORD);
    registered = players.length;
    let next = 0;
    const load = {
      url: server.url,
      connections,
      durationS: options.durationS,
      requests: [
        {
          method: 'POST',
          path: '/api/v1/auth/login',
          setupRequest: (request: object) => ({
            ...request,
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({
              nickname: players[next++ % players.length]!.nickname,
              password: PASSWORD,
            }),
          }),
        },
      ],
    };
    await warmUp(load, options.warmupS);
    project = await runLoad(load);
    rss = server.peakRssMiB();
  } finally {
    await server.stop();
    await cleanup();
  }
  // The server's production cost (server/src/bootstrap.ts): argon2id, 19 MiB, 2 passes, 1 lane.
  const encoded = await hash(PASSWORD, { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 });
  const baselineServer = await startProcess({
    name: 'login-baseline',
    script: 'bench/baselines/http-server.ts',
    env: { BASELINE: 'argon2', BASELINE_HASH: encoded },
  });
  let baseline;
  try {
    const load = {
      url: `${baselineServer.url}/login`,
      connections,
      durationS: options.durationS,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ nickname: 'x', password: PASSWORD }),
    };
    await warmUp(load, options.warmupS);
    baseline = await runLoad(load);
  } finally {
    await baselineServer.stop();
  }
  const ratio = project.okRps / baseline.okRps;
  return {
    scenario: 'login',
    notes: [
      `${registered} players, ${connections} connections; project status ${JSON.stringify(project.statusCodes)}`,
    ],
    rows: [
      {
        scenario: 'login',
        name: 'POST /auth/login (argon2id)',
        project: {
          label: 'server',
          rate: project.okRps,
          unit: 'req/s',
          p50: project.p50,
          p99: project.p99,
          rssMiB: rss,
        },
        baseline: {
          label: 'argon2 verify only',
          rate: baseline.okRps,
          unit: 'req/s',
          p50: baseline.p50,
          p99: baseline.p99,
          rssMiB: baselineServer.peakRssMiB(),
        },
        ratio,
        verdict: 'info',
      },
    ],
  };
}
