/**
 * Battles (issue 7, "Performance"): the challenge + accept cycle and its events, on the built server over
 * Postgres + Redis, as the other scenarios start it.
 *
 * 1. Battles/s: HTTP (wrk; each in-flight battle has a pair of players of its own, and every opponent
 *    holds a real authenticated WebSocket, so presence is what the server checks in production) versus
 *    pgbench `-M prepared` running the battle's own SQL for the same work (mg_battle_challenge then
 *    mg_battle_accept, captured from wallet.repository.ts, same argument shape) on the same database at
 *    the same concurrency, in alternating rounds. Plain moves, then moves with an Idempotency-Key (what
 *    packages/client sends). Unit: battles per second = two money moves (two transactions) each.
 * 2. Event latency: challenge sent → `battle.resolved` received on both players' sockets, one battle at a
 *    time, the opponent accepting as soon as its socket shows the `battle.challenge` (as a client does):
 *    (a) both sockets and both moves on one node; (b) two nodes on the same Postgres and Redis, the
 *    challenger's socket and challenge on node 1, the opponent's socket and accept on node 2.
 * Afterwards every challenge a timed run cut is cancelled through the server's own function, and money
 * is checked: Σ balances + Σ pending stakes unchanged over the scenario, and the server's own audit
 * (balance = Σ ledger, the balance_after chain, escrow = Σ pending stakes, nothing negative) finds nothing.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type WebSocket from 'ws';
import { MAX_PENDING_CHALLENGES } from '../../server/src/features/battles/battles.service';
import { watchCpu } from '../lib/cpu';
import {
  type BenchPlayer,
  moneyAudit,
  moneyTotal,
  openSessions,
  recreateDatabase,
  resolvedBattles,
  seedPlayers,
  setSynchronousCommit,
  settleBattles,
} from '../lib/db';
import { type CostContext, costsText, measureRound, type RoundCosts } from '../lib/costs';
import { alternate, median as medianRound } from '../lib/load';
import { battleScript, leastSqlBattleScript, runPgbench } from '../lib/pgbench';
import { type Proc, serverRoot, startGameServer } from '../lib/proc';
import { freshBenchRedis } from '../lib/redis';
import { atLeast, type BenchOptions, type Row, type ScenarioResult, type Verdict } from '../lib/report';
import { percentile } from '../lib/stats';
import { battleLua, hasWrk, runWrk, type WrkResult } from '../lib/wrk';
import { openSockets, type SocketPool } from '../lib/ws';

/** Every battle's stake (credits); seeded players hold ~1,000,000 credits. */
const STAKE = 100;
/** The server's challenge TTL (BATTLE_CHALLENGE_TTL_SECONDS, its default): pgbench passes the same. */
const TTL_SECONDS = 60;
/** How long one battle's events may take before the latency run gives up. */
const EVENT_TIMEOUT_MS = 15_000;

interface Pair {
  challenger: BenchPlayer;
  opponent: BenchPlayer;
}

export async function battlesScenario(options: BenchOptions): Promise<ScenarioResult> {
  if (!options.postgres) return { scenario: 'battles', rows: [], notes: [], skipped: 'needs Postgres' };
  const connections = options.connections ?? (options.smoke ? 4 : 16);
  // More pairs than connections, so a free pair is always at hand when an answer frees a connection.
  const loadPairs = 4 * connections;
  const latencyPairs = options.smoke ? 2 : 8;
  const latencyBattles = options.battles;
  const players = 2 * (loadPairs + latencyPairs);
  // A fresh database: node 1 applies the migrations and the catalog, then the players are seeded beside it.
  const name = 'mg_bench_battles';
  const url = await recreateDatabase(name);
  const redis = await freshBenchRedis();
  const env = { DATABASE_URL: url, ...(redis ? { REDIS_URL: redis } : {}) };
  const rows: Row[] = [];
  const notes: string[] = [];
  // Node 2 (same Postgres, same Redis) starts with node 1 (the migrations serialize on their lock) and
  // idles until the two-node latency run: meanwhile it renews its presence heartbeat and sweeps expired
  // challenges once a second, as any node of a deployment does.
  const starting = [
    startGameServer('battles-node1', env, options.profileDir),
    ...(redis ? [startGameServer('battles-node2', env, options.profileDir)] : []),
  ];
  const started = await Promise.allSettled(starting);
  const nodes = started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failure = started.find((r) => r.status === 'rejected');
  if (failure) {
    await Promise.all(nodes.map((n) => n.stop()));
    throw failure.reason;
  }
  const node2 = nodes[1];
  let node1 = nodes[0] as Proc;
  /** Node 1 afresh (its pool's connections take the database's synchronous_commit as it is now). */
  const restartNode1 = async (label: string): Promise<void> => {
    await node1.stop();
    nodes.splice(nodes.indexOf(node1), 1);
    node1 = await startGameServer(label, env, options.profileDir);
    nodes.push(node1);
  };
  let moneyBefore: bigint;
  try {
    const seeded = await seedPlayers(url, players);
    notes.push(`${players} players seeded in ${seeded.seconds.toFixed(1)} s (beside the running nodes)`);
    const sessions = await openSessions(
      url,
      Array.from({ length: players }, (_, i) => i + 1),
    );
    const pairOf = (k: number): Pair => ({ challenger: sessions[2 * k]!, opponent: sessions[2 * k + 1]! });
    const load = Array.from({ length: loadPairs }, (_, k) => pairOf(k));
    const timed = Array.from({ length: latencyPairs }, (_, k) => pairOf(loadPairs + k));
    moneyBefore = await moneyTotal(url);

    if (hasWrk()) {
      // Node 1 started under the default commit; for another setting it starts again (pgbench connects
      // afresh every round), and again under the default for the latency rows after.
      let nodeCommit: 'on' | 'off' = 'on';
      for (const commit of options.smoke ? (['on'] as const) : options.commits) {
        await setSynchronousCommit(name, commit);
        if (commit !== nodeCommit) await restartNode1(`battles-node1-commit-${commit}`);
        nodeCommit = commit;
        const online = await openSockets(
          node1.url,
          load.map((p) => p.opponent.token),
        );
        notes.push(
          `commit ${commit}: ${online.sockets.length} opponents online on node 1 (one WebSocket each, hello ` +
            `received, ${online.retries} opens retried); ${loadPairs} pairs, seeded players 1..${2 * loadPairs}`,
        );
        try {
          for (const idempotent of options.smoke ? [false] : [false, true]) {
            rows.push(
              ...(await throughput(
                node1,
                load,
                url,
                name,
                options,
                connections,
                { idempotent, commit },
                notes,
              )),
            );
          }
        } finally {
          await online.closeAll();
        }
      }
      await setSynchronousCommit(name, 'on');
      if (nodeCommit !== 'on') await restartNode1('battles-node1');
    } else {
      notes.push('battles/s not measured: wrk is not installed (apt-get install -y wrk)');
    }

    rows.push(await latencyRow('one node', node1, node1, timed, latencyBattles, notes));
    if (node2) {
      rows.push(await latencyRow('two nodes', node1, node2, timed, latencyBattles, notes));
    } else {
      notes.push('event latency across two nodes not measured: no Redis answered (BENCH_REDIS_URL)');
    }
  } finally {
    await Promise.all(nodes.map((n) => n.stop()));
  }

  const settled = await settleBattles(url);
  const moneyAfter = await moneyTotal(url);
  // The audit is this repository's: another checkout's schema (BENCH_SERVER_ROOT) may lack what it reads.
  const findings = serverRoot ? [] : await moneyAudit(url);
  notes.push(
    `money: Σ balances + Σ pending stakes ${moneyBefore} before, ${moneyAfter} after (${settled} cut ` +
      `challenges cancelled at the end); the server's audit: ` +
      (serverRoot ? 'not run (another checkout)' : `${findings.length} findings (must be 0)`),
  );
  if (moneyAfter !== moneyBefore) throw new Error(`money not conserved: ${moneyBefore} → ${moneyAfter}`);
  if (findings.length > 0) throw new Error(`the money audit failed:\n${findings.slice(0, 20).join('\n')}`);
  return { scenario: 'battles', rows, notes };
}

interface HttpRound {
  load: WrkResult;
  battlesPerS: number;
  failed: number;
}

async function throughput(
  server: Proc,
  pairs: Pair[],
  url: string,
  database: string,
  options: BenchOptions,
  connections: number,
  setting: { idempotent: boolean; commit: 'on' | 'off' },
  notes: string[],
): Promise<Row[]> {
  const { idempotent } = setting;
  const variant = `${idempotent ? 'with Idempotency-Key' : 'plain'}, commit ${setting.commit}`;
  const script = await battleScript({
    stake: STAKE,
    ttlSeconds: TTL_SECONDS,
    maxPending: MAX_PENDING_CHALLENGES,
    idempotent,
  });
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mg-wrk-battles-'));
  const pairsFile = path.join(dir, 'pairs');
  await writeFile(
    pairsFile,
    `${pairs.map((p) => `${p.challenger.token} ${p.opponent.token} ${p.opponent.id}`).join('\n')}\n`,
  );
  const http = async (durationS: number): Promise<HttpRound> => {
    const result = await runWrk({
      url: server.url,
      connections,
      threads: options.wrkThreads,
      durationS,
      script: battleLua({
        pairsFile,
        stake: STAKE,
        idempotent,
        run: randomBytes(6).toString('hex'),
        threads: options.wrkThreads,
      }),
      counters: ['battles', 'failed'],
    });
    return {
      load: result,
      battlesPerS: (result.counters.battles ?? 0) / result.durationS,
      failed: (result.counters.failed ?? 0) + result.errors,
    };
  };
  const least = leastSqlBattleScript(STAKE);
  const pgbench = (sql: string, durationS: number) =>
    runPgbench({
      database,
      script: sql,
      clients: connections,
      durationS,
      // pgbench's `per` = pairs per client: each client plays pairs of its own, as each wrk connection.
      players: pairs.length,
      item: 0,
      mode: 'prepared',
    });
  const ctx: CostContext | null = options.pg
    ? { pg: options.pg, database, moves: () => resolvedBattles(url) }
    : null;
  const busy: string[] = [];
  let httpResolved = 0;
  let pgResolved = 0;
  try {
    const warmS = Math.round(options.warmupS);
    if (warmS > 0) {
      await http(warmS);
      await settleBattles(url);
      await pgbench(least, warmS);
      await settleBattles(url);
    }
    const counted = async <T>(
      label: string,
      pid: number | null,
      fn: () => Promise<T>,
      add: (n: number) => void,
    ): Promise<{ out: T; costs: RoundCosts | null }> => {
      const before = await resolvedBattles(url);
      const cpu = watchCpu({ server: server.pid });
      const measured = ctx ? await measureRound(ctx, pid, fn) : { out: await fn(), costs: null };
      const report = cpu.stop();
      if (report) busy.push(`${label}: ${report.text}`);
      await settleBattles(url);
      add((await resolvedBattles(url)) - before);
      return measured;
    };
    const rounds = await alternate(
      options.rounds,
      () =>
        counted(
          'HTTP',
          server.pid,
          () => http(options.durationS),
          (n) => (httpResolved += n),
        ),
      async () => ({
        least: await counted(
          'least SQL',
          null,
          () => pgbench(least, options.durationS),
          (n) => (pgResolved += n),
        ),
        own:
          options.smoke || serverRoot
            ? null
            : await counted(
                'battle SQL',
                null,
                () => pgbench(script, options.durationS),
                () => undefined,
              ),
      }),
      (r) => r.out.battlesPerS,
      (r) => r.least.out.tps,
    );
    const httpBattles = rounds.allA.reduce((n, r) => n + (r.out.load.counters.battles ?? 0), 0);
    const pgBattles = rounds.allB.reduce((n, r) => n + r.least.out.transactions, 0);
    const httpFailed = rounds.allA.reduce((n, r) => n + r.out.failed, 0);
    const non2xx = rounds.allA.reduce((n, r) => n + r.out.load.non2xx, 0);
    const ownRounds = rounds.allB.flatMap((r) => (r.own ? [r.own] : []));
    const own = ownRounds.length > 0 ? medianRound(ownRounds, (r) => r.out.tps) : null;
    notes.push(
      `${variant} (wrk -t${options.wrkThreads}, c=${connections}): rounds battles/s: HTTP ` +
        `${rounds.allA.map((r) => r.out.battlesPerS.toFixed(0)).join(' ')}, least SQL ` +
        `${rounds.allB.map((r) => r.least.out.tps.toFixed(0)).join(' ')}` +
        (own ? `, battle SQL ${ownRounds.map((r) => r.out.tps.toFixed(0)).join(' ')}` : '') +
        `; all HTTP rounds: ${httpBattles} battles, ` +
        `${non2xx} non-2xx, ${httpFailed} failed moves; least SQL: ${pgBattles} battles, ` +
        `${rounds.allB.reduce((n, r) => n + r.least.out.failed, 0)} failed; resolved in the database: HTTP ` +
        `${httpResolved}, least SQL ${pgResolved}`,
    );
    const costs = (c: RoundCosts | null) => (c ? costsText(c, 'battle', 1) : '-');
    if (ctx) {
      notes.push(
        `${variant}, costs of the median rounds: HTTP: ${costs(rounds.a.costs)}; least SQL: ${costs(rounds.b.least.costs)}` +
          (own ? `; the battle's SQL under pgbench: ${costs(own.costs)}` : ''),
      );
      for (const statement of rounds.a.costs?.statements ?? []) {
        notes.push(
          `${variant}, HTTP statement: ${statement.callsPerMove.toFixed(2)}/battle, mean ${statement.meanUs.toFixed(0)} µs: ${statement.query}`,
        );
      }
    }
    for (const line of busy) notes.push(`${variant} CPU, ${line}`);
    for (const line of rounds.allA.flatMap((r) => r.out.load.failures))
      notes.push(`${variant} failed answer: ${line}`);
    // Every counted battle must be resolved in the database (a cut one was cancelled, not counted).
    if (httpResolved < httpBattles || pgResolved < pgBattles) {
      throw new Error(
        `${variant}: fewer resolved battles than counted (HTTP ${httpResolved}/${httpBattles}, ` +
          `least SQL ${pgResolved}/${pgBattles})`,
      );
    }
    const median = { http: rounds.a.out, pg: rounds.b.least.out };
    const ratio = median.pg.tps > 0 ? median.http.battlesPerS / median.pg.tps : Number.NaN;
    const verdict: Verdict =
      non2xx > 0 || httpFailed > 0 ? 'MISS' : setting.commit === 'on' ? atLeast(ratio, 0.5) : 'info';
    const rows: Row[] = [
      {
        scenario: 'battles',
        name: `challenge+accept, ${variant}, c=${connections}`,
        project: {
          label: 'HTTP',
          rate: median.http.battlesPerS,
          unit: 'battles/s',
          p50: median.http.load.p50,
          p99: median.http.load.p99,
          rssMiB: server.peakRssMiB(),
        },
        baseline: {
          label: 'pgbench least SQL',
          rate: median.pg.tps,
          unit: 'battles/s',
          p50: median.pg.p50,
          p99: median.pg.p99,
        },
        ratio,
        target: setting.commit === 'on' ? '≥ 0.5× battles/s, 0 non-2xx' : undefined,
        verdict,
        note: 'HTTP p50/p99 per request (half a battle); pgbench p50/p99 per battle (both transactions)',
      },
    ];
    if (own) {
      rows.push({
        scenario: 'battles',
        name: `the battle's own SQL under pgbench, ${variant}`,
        project: { label: 'pgbench battle SQL', rate: own.out.tps, unit: 'battles/s' },
        baseline: { label: 'pgbench least SQL', rate: median.pg.tps, unit: 'battles/s' },
        ratio: median.pg.tps > 0 ? own.out.tps / median.pg.tps : Number.NaN,
        verdict: 'info',
      });
    }
    return rows;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

interface Frame {
  type: string;
  battle?: { id: string; challengerId: string; opponentId: string; status: string };
}

/** Resolves with the arrival time of the first frame on `ws` that `match` accepts. */
function arrival(ws: WebSocket, match: (frame: Frame) => boolean): Promise<{ at: number; frame: Frame }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      ws.off('message', onMessage);
      reject(new Error(`no matching event within ${EVENT_TIMEOUT_MS} ms`));
    }, EVENT_TIMEOUT_MS);
    const onMessage = (data: WebSocket.RawData) => {
      const at = performance.now();
      const frame = JSON.parse((data as Buffer).toString()) as Frame;
      if (!match(frame)) return;
      clearTimeout(timer);
      ws.off('message', onMessage);
      resolve({ at, frame });
    };
    ws.on('message', onMessage);
  });
}

async function post(node: Proc, path: string, token: string, body: unknown, want: number): Promise<void> {
  const response = await fetch(`${node.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (response.status !== want) throw new Error(`POST ${path}: ${response.status} ${text.slice(0, 300)}`);
}

const clientSeed = () => randomBytes(16).toString('hex');

/**
 * Battles one at a time: the challenger (socket on `challengerNode`) challenges through its node; the
 * opponent (socket on `opponentNode`) accepts through its own node as soon as its socket shows the
 * challenge; the time is from sending the challenge to the later of the two `battle.resolved` frames.
 */
async function latencyRow(
  label: string,
  challengerNode: Proc,
  opponentNode: Proc,
  pairs: Pair[],
  battles: number,
  notes: string[],
): Promise<Row> {
  const pools: SocketPool[] = [];
  try {
    pools.push(
      await openSockets(
        challengerNode.url,
        pairs.map((p) => p.challenger.token),
      ),
    );
    pools.push(
      await openSockets(
        opponentNode.url,
        pairs.map((p) => p.opponent.token),
      ),
    );
    const [mine, theirs] = pools as [SocketPool, SocketPool];
    const totals: number[] = [];
    const toChallenge: number[] = [];
    const afterAccept: number[] = [];
    const warm = Math.min(50, Math.ceil(battles / 10));
    const cpu = watchCpu({
      node1: challengerNode.pid,
      ...(opponentNode === challengerNode ? {} : { node2: opponentNode.pid }),
    });
    for (let i = 0; i < warm + battles; i++) {
      const k = i % pairs.length;
      const pair = pairs[k]!;
      const a = mine.sockets[k]!;
      const b = theirs.sockets[k]!;
      const ours = (frame: Frame) =>
        frame.battle?.challengerId === pair.challenger.id && frame.battle.opponentId === pair.opponent.id;
      const resolvedA = arrival(a, (f) => f.type === 'battle.resolved' && ours(f));
      const resolvedB = arrival(b, (f) => f.type === 'battle.resolved' && ours(f));
      const challenged = arrival(b, (f) => f.type === 'battle.challenge' && ours(f));
      const t0 = performance.now();
      const challenge = post(
        challengerNode,
        '/api/v1/battles',
        pair.challenger.token,
        { opponentId: pair.opponent.id, stake: STAKE, clientSeed: clientSeed() },
        201,
      );
      // A refused challenge ends the run at once (not after the event's timeout).
      const refused = challenge.then(() => new Promise<never>(() => undefined));
      for (const p of [resolvedA, resolvedB, challenged, refused]) p.catch(() => undefined);
      const seen = await Promise.race([challenged, refused]);
      const tAccept = performance.now();
      const accept = post(
        opponentNode,
        `/api/v1/battles/${seen.frame.battle?.id}/accept`,
        pair.opponent.token,
        { clientSeed: clientSeed() },
        200,
      );
      const [ra, rb] = await Promise.all([resolvedA, resolvedB, challenge, accept]);
      if (i < warm) continue;
      const last = Math.max(ra.at, rb.at);
      totals.push(last - t0);
      toChallenge.push(seen.at - t0);
      afterAccept.push(last - tAccept);
    }
    const busy = cpu.stop();
    const sorted = (xs: number[]) => [...xs].sort((x, y) => x - y);
    const [all, first, second] = [sorted(totals), sorted(toChallenge), sorted(afterAccept)];
    const ms = (xs: number[], p: number) => percentile(xs, p).toFixed(1);
    notes.push(
      `event latency, ${label}: ${battles} battles (+${warm} warm-up), one at a time over ${pairs.length} pairs; ` +
        `challenge sent → opponent's socket has battle.challenge p50 ${ms(first, 50)} ms p99 ${ms(first, 99)} ms; ` +
        `accept sent → battle.resolved on both sockets p50 ${ms(second, 50)} ms p99 ${ms(second, 99)} ms; ` +
        `total max ${ms(all, 100)} ms` +
        (busy ? `; CPU: ${busy.text}` : ''),
    );
    return {
      scenario: 'battles',
      name:
        challengerNode === opponentNode
          ? 'challenge → battle.resolved on both sockets, one node'
          : 'challenge → battle.resolved on both sockets, two nodes (Redis bus)',
      project: { label: `${battles} battles`, p50: percentile(all, 50), p99: percentile(all, 99) },
      verdict: 'info',
      note: 'the opponent accepts when its socket shows the challenge; time to the later of the two frames',
    };
  } finally {
    await Promise.all(pools.map((p) => p.closeAll()));
  }
}
