/**
 * Open sockets (issue 7, "Performance"): idle authenticated WebSockets on one node, loopback, bounded.
 * The built server on a fresh database `mg_bench_ws` (Postgres + Redis, as the other scenarios) with
 * sockets/5 players whose sessions are written straight in SQL (argon2 for thousands of players would be
 * the bench); the harness opens 5 sockets per player (the most the server allows), waits for every
 * `hello`, and reads the server's RSS (VmRSS) before and after: RSS per idle authenticated socket.
 * Then the latency of a `presence` broadcast to all of them: a player goes fully offline and opens one
 * socket again; time until every sampled socket of the other players has heard `online: true`.
 * Also run standalone by bench/tools/websockets.ts.
 */
import { createHash, randomBytes } from 'node:crypto';
import type WebSocket from 'ws';
import { recreateDatabase, withClient } from '../lib/db';
import { readProcStatus, startGameServer } from '../lib/proc';
import { freshBenchRedis } from '../lib/redis';
import type { BenchOptions, Row, ScenarioResult } from '../lib/report';
import { percentile } from '../lib/stats';
import { closeSocket, openSockets } from '../lib/ws';

const PER_PLAYER = 5;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function socketsScenario(options: BenchOptions): Promise<ScenarioResult> {
  if (!options.postgres) return { scenario: 'sockets', rows: [], notes: [], skipped: 'needs Postgres' };
  const count = Math.max(2 * PER_PLAYER, options.sockets);
  const players = Math.ceil(count / PER_PLAYER);
  const url = await recreateDatabase('mg_bench_ws');
  const redis = await freshBenchRedis();
  const server = await startGameServer(
    'sockets',
    { DATABASE_URL: url, ...(redis ? { REDIS_URL: redis } : {}) },
    options.profileDir,
  );
  const notes: string[] = [];
  const rows: Row[] = [];
  try {
    const tokens = Array.from({ length: players }, () => randomBytes(32).toString('base64url'));
    const ids: string[] = [];
    await withClient(url, async (db) => {
      const run = randomBytes(3).toString('hex');
      for (let from = 0; from < players; from += 500) {
        const chunk = tokens.slice(from, from + 500);
        const r = await db.query<{ id: string }>(
          `INSERT INTO players (nickname, nickname_key, password_hash)
           SELECT 'b' || $1 || '_' || g, 'b' || $1 || '_' || g, 'x' FROM generate_series($2::int, $3::int) g
           ORDER BY g RETURNING id`,
          [run, from, from + chunk.length - 1],
        );
        ids.push(...r.rows.map((row) => row.id));
        await db.query(
          `INSERT INTO sessions (token_hash, player_id, expires_at)
           SELECT unnest($1::text[]), unnest($2::uuid[]), now() + interval '1 day'`,
          [chunk.map((t) => createHash('sha256').update(t).digest('hex')), r.rows.map((row) => row.id)],
        );
      }
    });

    await sleep(options.smoke ? 200 : 1_000);
    const idleRss = readProcStatus(server.pid, 'VmRSS');
    const started = performance.now();
    const pool = await openSockets(
      server.url,
      Array.from({ length: count }, (_, i) => tokens[Math.floor(i / PER_PLAYER)]!),
    );
    const openMs = performance.now() - started;
    try {
      await sleep(options.smoke ? 500 : 3_000); // the presence broadcasts of the last players to come online settle
      const busyRss = readProcStatus(server.pid, 'VmRSS');
      const perSocketKiB =
        idleRss === null || busyRss === null ? Number.NaN : ((busyRss - idleRss) * 1024) / count;
      notes.push(
        `${count} sockets of ${players} players authenticated (hello received) in ${openMs.toFixed(0)} ms, ` +
          `${pool.retries} opens retried; server RSS ${idleRss?.toFixed(1)} MiB before, ` +
          `${busyRss?.toFixed(1)} MiB with the sockets (${redis ? 'with Redis' : 'no Redis'})`,
      );
      rows.push({
        scenario: 'sockets',
        name: `RSS per idle authenticated socket, ${count} sockets`,
        project: { label: 'server', rate: perSocketKiB, unit: 'KiB/socket', rssMiB: busyRss },
        verdict: Number.isFinite(perSocketKiB) ? 'info' : 'MISS',
      });

      // Presence broadcast: player `round` (its 5 sockets are the first ones of the list) goes offline,
      // then opens one socket; time until every sampled socket of the other players heard it come online.
      const rounds = Math.min(options.smoke ? 3 : 10, Math.floor(players / 2));
      const step = Math.max(PER_PLAYER, Math.floor(count / 50 / PER_PLAYER) * PER_PLAYER);
      const sampled = pool.sockets.filter((_, i) => i >= rounds * PER_PLAYER && i % step === 0);
      const latencies: number[] = [];
      for (let round = 0; round < rounds; round++) {
        const own = pool.sockets.slice(round * PER_PLAYER, (round + 1) * PER_PLAYER);
        await Promise.all(own.map(closeSocket));
        await sleep(options.smoke ? 100 : 500);
        const heard = sampled.map((s) => heardOnline(s, ids[round]!));
        for (const h of heard) h.catch(() => undefined);
        const t0 = performance.now();
        const back = await openSockets(server.url, [tokens[round]!]);
        pool.sockets.splice(round * PER_PLAYER, 1, ...back.sockets);
        latencies.push(Math.max(...(await Promise.all(heard))) - t0);
      }
      latencies.sort((x, y) => x - y);
      notes.push(
        `presence broadcast to ${count} sockets: connect → the last of ${sampled.length} sampled sockets ` +
          `heard it, ${rounds} rounds: ${latencies.map((x) => x.toFixed(0)).join(' ')} ms`,
      );
      rows.push({
        scenario: 'sockets',
        name: `presence broadcast to ${count} sockets`,
        project: {
          label: `${rounds} rounds`,
          p50: percentile(latencies, 50),
          p99: percentile(latencies, 99),
        },
        verdict: 'info',
        note: 'p99 over this few rounds is the slowest round',
      });
    } finally {
      await pool.closeAll();
    }
  } finally {
    await server.stop();
  }
  return { scenario: 'sockets', rows, notes };
}

/** Resolves with the time `ws` hears that `playerId` came online. */
function heardOnline(ws: WebSocket, playerId: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      ws.off('message', onMessage);
      reject(new Error('a presence event did not arrive within 30 s'));
    }, 30_000);
    const onMessage = (data: WebSocket.RawData) => {
      const frame = JSON.parse((data as Buffer).toString()) as {
        type: string;
        playerId?: string;
        online?: boolean;
      };
      if (frame.type !== 'presence' || frame.playerId !== playerId || frame.online !== true) return;
      clearTimeout(timer);
      ws.off('message', onMessage);
      resolve(performance.now());
    };
    ws.on('message', onMessage);
  });
}
