/**
 * Losing a machine (ops/cluster: Patroni + etcd + HAProxy, Redis Sentinel, two nodes), under keyed buy/sell
 * load and live battles over WebSockets on both nodes:
 * - `kill -9` of the primary Postgres and its Patroni: the synchronous standby takes over, writes resume,
 *   every move answered 200 is in the ledger exactly once, every retried key applied once, the audit is
 *   clean, and the old primary comes back as a standby;
 * - `kill -9` of the Redis primary: Sentinel promotes the replica, the nodes follow, a pending challenge is
 *   accepted and its events reach both sockets.
 * It prints the time from each kill to the first successful write and the 503s in between. Needs root (the
 * cluster installs Debian's patroni, etcd-server, haproxy, redis-sentinel) or those packages installed.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ClusterFile, up } from '../../../ops/cluster/cluster';
import { patroniMembers } from '../../../ops/cluster/host';
import { down, restartMember } from '../../../ops/cluster/manage';
import { redisCommand } from '../../../ops/cluster/daemons';
import { createPostgresDatabase } from '../../src/db/client';
import { auditMoney } from '../../src/features/wallet/wallet.audit';
import { WsClient } from '../helpers/ws';

const installed = ['/usr/bin/patroni', '/usr/bin/etcd', '/usr/sbin/haproxy', '/usr/bin/redis-sentinel'].every(
  (binary) => existsSync(binary),
);
const canRun = installed || process.getuid?.() === 0;
if (!canRun)
  console.warn('HA failover suite skipped: not root and patroni/etcd/haproxy/redis-sentinel not installed');

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Pilot {
  id: string;
  token: string;
}

/** What one keyed request ended as, after its retries (same key) through the outage. */
interface Outcome {
  status: number;
  body: { transactionId?: string; battle?: { id: string }; error?: { code: string } };
  answeredAt: number;
  sentAt: number;
}

class Load {
  stopped = false;
  unavailable = 0;
  readonly answers: { at: number; sentAt: number; status: number }[] = [];
  readonly moves: { player: string; status: number; transactionId?: string }[] = [];

  /** One keyed request, retried with the same key on 503 or a broken connection until it is answered. */
  async keyed(url: string, token: string, route: string, key: string, body?: unknown): Promise<Outcome> {
    for (;;) {
      const sentAt = Date.now();
      try {
        const response = await fetch(`${url}/api/v1${route}`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${token}`,
            'idempotency-key': key,
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(15_000),
        });
        const text = await response.text();
        if (response.status === 503) {
          this.unavailable++;
          await sleep(100);
          continue;
        }
        const outcome = {
          status: response.status,
          body: JSON.parse(text) as Outcome['body'],
          answeredAt: Date.now(),
          sentAt,
        };
        this.answers.push({ at: outcome.answeredAt, sentAt, status: outcome.status });
        return outcome;
      } catch {
        this.unavailable++;
        await sleep(100);
      }
    }
  }

  /** A pilot buying and selling one item, alternating nodes, a fresh key per move. */
  async trader(urls: string[], pilot: Pilot, item: number): Promise<void> {
    for (let n = 0; !this.stopped; n++) {
      const url = urls[n % urls.length]!;
      const route = n % 2 === 0 ? `/shop/items/${item}/buy` : `/me/items/${item}/sell`;
      const answer = await this.keyed(url, pilot.token, route, `${pilot.id}-${n}`);
      this.moves.push({ player: pilot.id, status: answer.status, transactionId: answer.body.transactionId });
      expect([200, 409], JSON.stringify(answer.body)).toContain(answer.status);
    }
  }

  firstWriteAfter(at: number): number | null {
    const first = this.answers
      .filter((a) => a.status === 200 && a.sentAt >= at)
      .sort((a, b) => a.at - b.at)[0];
    return first ? first.at - at : null;
  }
}

async function register(url: string, nickname: string): Promise<Pilot> {
  const response = await fetch(`${url}/api/v1/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ nickname, password: 'failover-password' }),
  });
  const body = (await response.json()) as { token: string; player: { id: string } };
  return { id: body.player.id, token: body.token };
}

describe.skipIf(!canRun)('losing a machine (Patroni, HAProxy, Sentinel)', () => {
  let dir: string;
  let cluster: ClusterFile;
  let urls: string[];

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'mg-ha-'));
    // The load comes from one address: no per-address limits for it.
    cluster = await up(dir, { nodeEnv: { RATE_LIMIT_MAX: '0', AUTH_RATE_LIMIT_MAX: '0' } });
    urls = cluster.nodes.map((n) => n.url);
  }, 400_000);
  afterAll(async () => {
    if (cluster) await down(dir);
    if (dir) await rm(dir, { recursive: true, force: true });
  }, 120_000);

  it('Postgres primary killed under load: writes resume, nothing acknowledged lost, the old primary rejoins', async () => {
    const database = createPostgresDatabase(cluster.databaseUrl, { poolSize: 2 });
    const sql = new pg.Pool({ connectionString: cluster.databaseUrl, max: 2 });
    sql.on('error', () => undefined);
    const load = new Load();
    try {
      const tag = Date.now().toString(36);
      const traders = await Promise.all([1, 2, 3, 4].map((i) => register(urls[i % 2]!, `ha_${tag}_${i}`)));
      // Rich enough for every purchase of the run: a grant, written to the ledger with the balance.
      await sql.query(
        `WITH granted AS (UPDATE players SET balance = balance + 1000000 WHERE id = ANY($1::uuid[]) RETURNING id, balance)
         INSERT INTO ledger (player_id, type, amount, balance_after, note)
         SELECT id, 'admin_grant', 1000000, balance, 'failover test' FROM granted`,
        [traders.map((trader) => trader.id)],
      );
      const [challenger, opponent] = [
        await register(urls[0]!, `ha_${tag}_c`),
        await register(urls[1]!, `ha_${tag}_o`),
      ];
      const socketC = await WsClient.connect(urls[0]!, challenger.token);
      const socketO = await WsClient.connect(urls[1]!, opponent.token);

      const trading = traders.map((pilot, i) => load.trader(urls, pilot, 1 + i));
      let battles = 0;
      const fighting = (async () => {
        for (let n = 0; !load.stopped; n++) {
          const made = await load.keyed(urls[0]!, challenger.token, '/battles', `c-${n}`, {
            opponentId: opponent.id,
            stake: 0,
          });
          if (made.status !== 201) continue; // e.g. OPPONENT_OFFLINE while presence recovers
          const id = made.body.battle!.id;
          const accepted = await load.keyed(urls[1]!, opponent.token, `/battles/${id}/accept`, `a-${n}`, {});
          expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
          await socketC.next('battle.resolved', (m) => m.battle.id === id);
          await socketO.next('battle.resolved', (m) => m.battle.id === id);
          battles++;
        }
      })();

      await sleep(3_000);
      const members = await patroniMembers(cluster.postgres[0]!.patroniUrl);
      const leaderName = members.find((m) => m.role === 'leader')!.name;
      const leader = cluster.postgres.find((pg) => pg.name === leaderName)!;
      const before503 = load.unavailable;
      const killedAt = Date.now();
      process.kill(leader.patroniPid, 'SIGKILL');
      process.kill(leader.pid, 'SIGKILL');
      // Until writes went through again, and a few seconds more on the new primary.
      while (load.firstWriteAfter(killedAt) === null && Date.now() - killedAt < 60_000) await sleep(100);
      const resumedMs = load.firstWriteAfter(killedAt);
      await sleep(3_000);
      load.stopped = true;
      await Promise.all([...trading, fighting]);
      console.info(
        `Postgres failover: first write ${resumedMs} ms after kill -9 of ${leaderName} and its Patroni; ` +
          `${load.unavailable - before503} × 503 or refused connections meanwhile; ${load.moves.length} moves, ${battles} battles`,
      );
      expect(resumedMs).not.toBeNull();
      expect(resumedMs!).toBeLessThan(10_000);

      // Every move answered 200 is in the ledger once; a player's ledger has exactly its answered moves.
      const acknowledged = load.moves.filter((m) => m.status === 200);
      const ids = acknowledged.map((m) => m.transactionId!);
      expect(new Set(ids).size).toBe(ids.length);
      const found = await sql.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM ledger WHERE id = ANY($1::bigint[])',
        [ids],
      );
      expect(found.rows[0]!.n).toBe(ids.length);
      for (const trader of traders) {
        const rows = await sql.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM ledger WHERE player_id = $1 AND type IN ('purchase', 'sale')`,
          [trader.id],
        );
        expect(rows.rows[0]!.n).toBe(acknowledged.filter((m) => m.player === trader.id).length);
      }
      expect(await auditMoney(database)).toEqual([]);

      await restartMember(dir, leaderName);
      const after = await patroniMembers(cluster.postgres[0]!.patroniUrl);
      expect(after.find((m) => m.name === leaderName)?.role).not.toBe('leader');
      expect(after.some((m) => m.role === 'leader')).toBe(true);
    } finally {
      load.stopped = true;
      await database.close();
      await sql.end();
    }
  }, 300_000);

  it('Redis primary killed: Sentinel promotes the replica, the nodes follow, battles and events resume', async () => {
    const load = new Load();
    const tag = Date.now().toString(36);
    const [challenger, opponent] = [
      await register(urls[0]!, `hr_${tag}_c`),
      await register(urls[1]!, `hr_${tag}_o`),
    ];
    const socketC = await WsClient.connect(urls[0]!, challenger.token);
    const socketO = await WsClient.connect(urls[1]!, opponent.token);
    await socketC.next('presence', (m) => m.playerId === opponent.id && m.online);
    const pending = await load.keyed(urls[0]!, challenger.token, '/battles', 'pending', {
      opponentId: opponent.id,
      stake: 0,
    });
    expect(pending.status).toBe(201);

    const master = await redisCommand(
      cluster.sentinels[0]!.port,
      'SENTINEL',
      'get-master-addr-by-name',
      cluster.redisSentinelName,
    );
    const port = Number(/\r\n(\d+)\r\n$/.exec(master)?.[1]);
    const primary = cluster.redis.find((r) => r.port === port)!;
    const killedAt = Date.now();
    process.kill(primary.pid, 'SIGKILL');

    // The pending challenge is accepted on the other node, and both sockets hear it.
    const id = pending.body.battle!.id;
    const accepted = await load.keyed(urls[1]!, opponent.token, `/battles/${id}/accept`, 'accept', {});
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    // A new battle after the promotion: its events reach both sockets (the bus re-subscribed).
    let resumedMs: number | null = null;
    for (let n = 0; resumedMs === null && Date.now() - killedAt < 30_000; n++) {
      const made = await load.keyed(urls[0]!, challenger.token, '/battles', `after-${n}`, {
        opponentId: opponent.id,
        stake: 0,
      });
      if (made.status !== 201) {
        await sleep(200);
        continue;
      }
      const next = made.body.battle!.id;
      expect(
        (await load.keyed(urls[1]!, opponent.token, `/battles/${next}/accept`, `after-a-${n}`, {})).status,
      ).toBe(200);
      const heard = await Promise.all([
        socketC
          .next('battle.resolved', (m) => m.battle.id === next)
          .then(
            () => true,
            () => false,
          ),
        socketO
          .next('battle.resolved', (m) => m.battle.id === next)
          .then(
            () => true,
            () => false,
          ),
      ]);
      if (heard.every(Boolean)) resumedMs = Date.now() - killedAt;
    }
    const promoted = await redisCommand(
      cluster.sentinels[1]!.port,
      'SENTINEL',
      'get-master-addr-by-name',
      cluster.redisSentinelName,
    );
    console.info(
      `Redis failover: battles and their events on both sockets ${resumedMs} ms after kill -9 of the primary; ` +
        `${load.unavailable} × 503 meanwhile; new primary ${/\r\n(\d+)\r\n$/.exec(promoted)?.[1]}`,
    );
    expect(promoted).not.toContain(`\r\n${port}\r\n`);
    expect(resumedMs).not.toBeNull();
    expect(resumedMs!).toBeLessThan(10_000);
  }, 120_000);
});
