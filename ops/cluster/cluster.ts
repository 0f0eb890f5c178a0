/**
 * The local high-availability topology (`npm run cluster`, main.ts) on 127.0.0.1, from
 * Debian's packages (installed when missing): etcd, two Patroni-managed PostgreSQL 15 servers (a primary
 * and a synchronous standby), HAProxy sending connections to the current primary, a Redis primary and
 * replica watched by three Sentinels, and two MetaGameplay nodes on top. `up` writes DIR/cluster.json
 * (every port and pid); `status` says who is primary; `down` stops exactly what `up` started.
 */

import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensurePackages, patroniMembers, postgresUser, postmasterPid } from './host';
import { haproxyConfig, type PatroniNode, patroniConfig, REDIS_MASTER_NAME, sentinelConfig } from './configs';
import {
  type Daemon,
  freePort,
  httpStatus,
  portOpen,
  redisCommand,
  startDaemon,
  stopPid,
  until,
} from './daemons';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface ClusterFile {
  nodes: { url: string; pid: number }[];
  postgres: { name: string; port: number; pid: number; patroniPid: number; patroniUrl: string }[];
  haproxy: { primaryPort: number; statsPort: number; pid: number };
  etcd: { url: string; pid: number };
  redis: { port: number; pid: number }[];
  sentinels: { port: number; pid: number }[];
  databaseUrl: string;
  redisSentinels: string;
  redisSentinelName: string;
}

/** The caller's environment without the settings the nodes get from the cluster (one of them would clash). */
function inheritedEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of [
    'DATABASE_URL',
    'REDIS_URL',
    'REDIS_SENTINELS',
    'REDIS_SENTINEL_NAME',
    'PORT',
    'HOST',
    'DATA_DIR',
  ]) {
    delete env[name];
  }
  return env;
}

export async function up(
  dir: string,
  options: { nodeEnv?: Record<string, string> } = {},
): Promise<ClusterFile> {
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    throw new Error(`${dir} is not empty: choose a new directory (run down first if it holds a cluster)`);
  }
  ensurePackages();
  mkdirSync(dir, { recursive: true });
  // Postgres (as its own user) must reach its data directory below DIR.
  chmodSync(dir, 0o755);
  const pgUser = postgresUser();
  const passwords = {
    superuser: randomBytes(16).toString('hex'),
    replication: randomBytes(16).toString('hex'),
  };
  writeFileSync(path.join(dir, 'postgres.password'), `${passwords.superuser}\n`, { mode: 0o600 });
  const started: number[] = [];
  try {
    const etcdPort = await freePort();
    const etcdPeerPort = await freePort();
    const etcd = startDaemon(dir, 'etcd', '/usr/bin/etcd', [
      '--name=etcd1',
      `--data-dir=${path.join(dir, 'etcd')}`,
      `--listen-client-urls=http://127.0.0.1:${etcdPort}`,
      `--advertise-client-urls=http://127.0.0.1:${etcdPort}`,
      `--listen-peer-urls=http://127.0.0.1:${etcdPeerPort}`,
      `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeerPort}`,
      `--initial-cluster=etcd1=http://127.0.0.1:${etcdPeerPort}`,
    ]);
    started.push(etcd.pid);
    await until(
      'etcd',
      async () => (await httpStatus(`http://127.0.0.1:${etcdPort}/health`)) === 200,
      30_000,
      etcd,
    );

    const pgNodes: PatroniNode[] = [];
    for (const name of ['pg1', 'pg2']) {
      const home = path.join(dir, name);
      mkdirSync(home, { recursive: true, mode: 0o700 });
      pgNodes.push({
        name,
        port: await freePort(),
        restPort: await freePort(),
        dataDir: path.join(home, 'data'),
        socketDir: home,
      });
      if (pgUser) chownSync(home, pgUser.uid, pgUser.gid);
    }
    const patronis: Daemon[] = [];
    for (const node of pgNodes) {
      const config = path.join(node.socketDir, 'patroni.yml');
      writeFileSync(config, patroniConfig(node, etcdPort, passwords), { mode: 0o600 });
      if (pgUser) chownSync(config, pgUser.uid, pgUser.gid);
      const patroni = startDaemon(dir, `patroni-${node.name}`, '/usr/bin/patroni', [config], {
        ...(pgUser ? { user: pgUser.name } : {}),
      });
      started.push(patroni.pid);
      patronis.push(patroni);
      // The first bootstraps the cluster (initdb); the second then clones it as a standby.
      await until(
        `${node.name} running`,
        async () => (await httpStatus(`http://127.0.0.1:${node.restPort}/health`)) === 200,
        120_000,
        patroni,
      );
    }
    await until(
      'a synchronous standby',
      async () =>
        (await patroniMembers(`http://127.0.0.1:${pgNodes[0]!.restPort}`)).some(
          (m) => m.role === 'sync_standby',
        ),
      60_000,
    );

    const primaryPort = await freePort();
    const statsPort = await freePort();
    const haproxyCfg = path.join(dir, 'haproxy.cfg');
    writeFileSync(haproxyCfg, haproxyConfig(primaryPort, statsPort, pgNodes));
    const haproxy = startDaemon(dir, 'haproxy', '/usr/sbin/haproxy', ['-f', haproxyCfg, '-db']);
    started.push(haproxy.pid);
    await until('HAProxy', () => portOpen(primaryPort), 15_000, haproxy);

    const redisPorts = [await freePort(), await freePort()];
    const redis = redisPorts.map((port, i) => {
      const home = path.join(dir, `redis${i + 1}`);
      mkdirSync(home, { recursive: true });
      const args = [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        home,
      ];
      if (i > 0) args.push('--replicaof', '127.0.0.1', String(redisPorts[0]));
      const daemon = startDaemon(dir, `redis${i + 1}`, '/usr/bin/redis-server', args);
      started.push(daemon.pid);
      return { port, pid: daemon.pid };
    });
    for (const r of redis)
      await until(
        `redis on ${r.port}`,
        async () => (await redisCommand(r.port, 'PING')).includes('PONG'),
        15_000,
      );
    await until(
      'the Redis replica in sync',
      async () =>
        (await redisCommand(redisPorts[1]!, 'INFO', 'replication')).includes('master_link_status:up'),
      30_000,
    );
    const sentinels = [];
    for (let i = 1; i <= 3; i++) {
      const port = await freePort();
      const home = path.join(dir, `sentinel${i}`);
      mkdirSync(home, { recursive: true });
      const conf = path.join(home, 'sentinel.conf');
      writeFileSync(conf, sentinelConfig(port, home, redisPorts[0]!));
      const daemon = startDaemon(dir, `sentinel${i}`, '/usr/bin/redis-sentinel', [conf]);
      started.push(daemon.pid);
      sentinels.push({ port, pid: daemon.pid });
    }
    for (const s of sentinels) {
      await until(
        `sentinel on ${s.port}`,
        async () =>
          (await redisCommand(s.port, 'SENTINEL', 'get-master-addr-by-name', REDIS_MASTER_NAME)).includes(
            String(redisPorts[0]),
          ),
        15_000,
      );
    }

    const databaseUrl = `postgresql://postgres:${passwords.superuser}@127.0.0.1:${primaryPort}/metagameplay`;
    const redisSentinels = sentinels.map((s) => `127.0.0.1:${s.port}`).join(',');
    const nodes = [];
    for (let i = 1; i <= 2; i++) {
      const port = await freePort();
      const node = startDaemon(
        dir,
        `node${i}`,
        process.execPath,
        [path.join(repoRoot, 'server/scripts/start.mjs')],
        {
          cwd: repoRoot,
          env: {
            ...inheritedEnv(),
            PORT: String(port),
            HOST: '127.0.0.1',
            DATABASE_URL: databaseUrl,
            REDIS_SENTINELS: redisSentinels,
            REDIS_SENTINEL_NAME: REDIS_MASTER_NAME,
            ...options.nodeEnv,
          },
        },
      );
      started.push(node.pid);
      const url = `http://127.0.0.1:${port}`;
      await until(`node${i}`, async () => (await httpStatus(`${url}/readyz`)) === 200, 180_000, node);
      nodes.push({ url, pid: node.pid });
    }

    const cluster: ClusterFile = {
      nodes,
      postgres: pgNodes.map((n, i) => ({
        name: n.name,
        port: n.port,
        pid: postmasterPid(n.dataDir),
        patroniPid: patronis[i]!.pid,
        patroniUrl: `http://127.0.0.1:${n.restPort}`,
      })),
      haproxy: { primaryPort, statsPort, pid: haproxy.pid },
      etcd: { url: `http://127.0.0.1:${etcdPort}`, pid: etcd.pid },
      redis,
      sentinels,
      databaseUrl,
      redisSentinels,
      redisSentinelName: REDIS_MASTER_NAME,
    };
    writeFileSync(path.join(dir, 'cluster.json'), `${JSON.stringify(cluster, null, 2)}\n`, { mode: 0o600 });
    return cluster;
  } catch (error) {
    // A failed start stops what it started, newest first.
    for (const pid of started.reverse()) await stopPid(pid);
    throw error;
  }
}
