/**
 * WebSocket bench (standalone): `npx tsx bench/tools/websockets.ts [--sockets 5000] [--port 8103]`.
 * Starts the server as a plain node process (tsx loader) on a fresh database `mg_bench_ws` of
 * BENCH_DATABASE_URL / TEST_DATABASE_URL (in-process cache and bus: one node), creates sockets/5 players
 * with sessions straight in SQL (argon2 for thousands of players would be the bench), opens the sockets
 * (bearer header, 5 per player, bounded concurrency, loopback only), waits for every `hello`, and reports
 * the server's RSS before and after (so RSS per idle authenticated socket), then the latency of a
 * `presence` event broadcast to every socket (a new player comes online: time until N sampled sockets
 * hear it, p50/p99 over several rounds).
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import WebSocket from 'ws';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const { values } = parseArgs({
  options: { sockets: { type: 'string', default: '5000' }, port: { type: 'string', default: '8103' } },
});
const SOCKETS = Number(values.sockets);
const PORT = Number(values.port);
const PLAYERS = Math.ceil(SOCKETS / 5);
const base =
  process.env.BENCH_DATABASE_URL ??
  process.env.TEST_DATABASE_URL ??
  'postgres://postgres@127.0.0.1:5432/postgres';
const DB = 'mg_bench_ws';

function rssKiB(pid: number): number {
  const match = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match?.[1] ?? 0);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${DB}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${DB}`;

  const server = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'server', 'src', 'main.ts')], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      PORT: String(PORT),
      DATABASE_URL: url.toString(),
      RATE_LIMIT_MAX: '0',
      AUTH_RATE_LIMIT_MAX: '0',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const pid = server.pid ?? 0;
  const origin = `http://127.0.0.1:${PORT}`;
  try {
    for (let i = 0; ; i++) {
      if (
        await fetch(`${origin}/healthz`).then(
          (r) => r.ok,
          () => false,
        )
      )
        break;
      if (i > 600) throw new Error('server did not start');
      await sleep(100);
    }

    // Players and sessions straight in SQL.
    const db = new pg.Client({ connectionString: url.toString() });
    await db.connect();
    const tokens: string[] = [];
    const run = randomBytes(3).toString('hex');
    for (let i = 0; i < PLAYERS; i++) tokens.push(randomBytes(32).toString('base64url'));
    for (let from = 0; from < PLAYERS; from += 500) {
      const chunk = tokens.slice(from, from + 500);
      const ids = await db.query<{ id: string }>(
        `INSERT INTO players (nickname, nickname_key, password_hash)
         SELECT 'b' || $1 || '_' || g, 'b' || $1 || '_' || g, 'x' FROM generate_series($2::int, $3::int) g
         RETURNING id`,
        [run, from, from + chunk.length - 1],
      );
      await db.query(
        `INSERT INTO sessions (token_hash, player_id, expires_at)
         SELECT unnest($1::text[]), unnest($2::uuid[]), now() + interval '1 day'`,
        [chunk.map((t) => createHash('sha256').update(t).digest('hex')), ids.rows.map((r) => r.id)],
      );
    }
    await db.end();

    await sleep(1000);
    const idleRss = rssKiB(pid);
    const sockets: WebSocket[] = [];
    const openOnce = (token: string) =>
      new Promise<WebSocket>((resolve, reject) => {
        const ws = new WebSocket(`ws://127.0.0.1:${PORT}/api/v1/ws`, {
          headers: { authorization: `Bearer ${token}` },
        });
        ws.once('message', () => resolve(ws)); // hello
        ws.once('error', reject);
        ws.once('close', (code) => reject(new Error(`closed ${code}`)));
      });
    // A loaded machine may answer an upgrade 503 (database pool wait): retried, and counted.
    let retries = 0;
    const open = async (token: string): Promise<WebSocket> => {
      for (let attempt = 0; ; attempt++) {
        try {
          return await openOnce(token);
        } catch (error) {
          if (attempt >= 5) throw error;
          retries++;
          await sleep(200 * (attempt + 1));
        }
      }
    };
    const started = Date.now();
    for (let from = 0; from < SOCKETS; from += 100) {
      const batch = Array.from(
        { length: Math.min(100, SOCKETS - from) },
        (_, i) => tokens[Math.floor((from + i) / 5)] ?? '',
      );
      sockets.push(...(await Promise.all(batch.map(open))));
    }
    const openMs = Date.now() - started;
    await sleep(3000); // presence broadcasts of the last ones settle
    const busyRss = rssKiB(pid);
    console.log(
      `sockets: ${sockets.length} authenticated (hello received) in ${openMs} ms, ${retries} upgrades retried`,
    );
    console.log(
      `server RSS: ${(idleRss / 1024).toFixed(1)} MiB before, ${(busyRss / 1024).toFixed(1)} MiB with the sockets`,
    );
    console.log(
      `RSS per idle authenticated socket: ${(((busyRss - idleRss) * 1024) / sockets.length / 1024).toFixed(1)} KiB`,
    );

    // Presence broadcast latency: a player goes fully offline, then opens one socket; time until every
    // sampled socket (of other players) hears `online: true`.
    const step = Math.max(5, Math.floor(SOCKETS / 50 / 5) * 5);
    const latencies: number[] = [];
    for (let round = 0; round < 10; round++) {
      const own = sockets.slice(round * 5, round * 5 + 5);
      await Promise.all(
        own.map(
          (s) =>
            new Promise<void>((resolve) => {
              s.once('close', () => resolve());
              s.close();
            }),
        ),
      );
      await sleep(500);
      const samples = sockets.filter((s, i) => i % step === 0 && !own.includes(s) && i >= 50);
      const heard = samples.map(
        (s) =>
          new Promise<number>((resolve) => {
            const onMessage = (data: Buffer) => {
              if (data.toString().includes('"online":true')) {
                s.off('message', onMessage);
                resolve(Date.now());
              }
            };
            s.on('message', onMessage);
          }),
      );
      const t0 = Date.now();
      sockets[round * 5] = await open(tokens[round] ?? '');
      latencies.push(Math.max(...(await Promise.all(heard))) - t0);
    }
    const sampled = Math.floor(SOCKETS / step);
    latencies.sort((a, b) => a - b);
    const pct = (p: number) =>
      latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))];
    console.log(
      `presence broadcast to ${SOCKETS} sockets, connect → last of ~${sampled} sampled sockets heard it: ` +
        `p50 ${pct(50)} ms, max ${latencies.at(-1)} ms over ${latencies.length} rounds`,
    );
    for (const s of sockets) s.terminate();
  } finally {
    server.kill('SIGTERM');
    await new Promise((resolve) => server.once('exit', resolve));
    const cleanup = new pg.Client({ connectionString: base });
    await cleanup.connect();
    await cleanup.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
    await cleanup.end();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
