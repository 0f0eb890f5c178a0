/** Managing a running cluster: its file, a member started again, who is primary, and stopping it. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ClusterFile } from './cluster';
import { httpStatus, isAlive, redisCommand, startDaemon, stopPid, until } from './daemons';
import { patroniMembers, postgresUser, postmasterPid } from './host';

/**
 * Starts the Patroni of member `name` again (after it was stopped or killed): it finds the current leader,
 * rewinds its data directory if it was the primary, and follows as a standby. Updates cluster.json.
 */
export async function restartMember(dir: string, name: string): Promise<void> {
  const cluster = readCluster(dir);
  const member = cluster.postgres.find((pg) => pg.name === name);
  if (!member) throw new Error(`no member ${name}`);
  const pgUser = postgresUser();
  const patroni = startDaemon(
    dir,
    `patroni-${name}`,
    '/usr/bin/patroni',
    [path.join(dir, name, 'patroni.yml')],
    {
      ...(pgUser ? { user: pgUser.name } : {}),
    },
  );
  await until(
    `${name} back as a replica`,
    async () =>
      (await patroniMembers(member.patroniUrl)).some(
        (m) => m.name === name && m.role !== 'leader' && (m.state === 'running' || m.state === 'streaming'),
      ),
    120_000,
    patroni,
  );
  member.patroniPid = patroni.pid;
  member.pid = postmasterPid(path.join(dir, name, 'data'));
  writeFileSync(path.join(dir, 'cluster.json'), `${JSON.stringify(cluster, null, 2)}\n`, { mode: 0o600 });
}

export function readCluster(dir: string): ClusterFile {
  const file = path.join(dir, 'cluster.json');
  if (!existsSync(file)) throw new Error(`${file} not found: no cluster was started there`);
  return JSON.parse(readFileSync(file, 'utf8')) as ClusterFile;
}

export async function status(dir: string): Promise<void> {
  const cluster = readCluster(dir);
  let members: { name: string; role: string; state: string }[] = [];
  for (const pg of cluster.postgres) {
    members = await patroniMembers(pg.patroniUrl).catch(() => []);
    if (members.length) break;
  }
  const leader = members.find((m) => m.role === 'leader');
  console.log(`postgres primary: ${leader?.name ?? 'none'}`);
  for (const m of members) console.log(`  ${m.name}: ${m.role} (${m.state})`);
  let redisPrimary = 'unknown';
  for (const s of cluster.sentinels) {
    const answer = await redisCommand(
      s.port,
      'SENTINEL',
      'get-master-addr-by-name',
      cluster.redisSentinelName,
    ).catch(() => '');
    const port = /\r\n(\d+)\r\n$/.exec(answer)?.[1];
    if (port) {
      redisPrimary = `127.0.0.1:${port}`;
      break;
    }
  }
  console.log(`redis primary: ${redisPrimary}`);
  for (const node of cluster.nodes) {
    console.log(
      `node ${node.url}: ${isAlive(node.pid) ? `readyz ${await httpStatus(`${node.url}/readyz`)}` : 'stopped'}`,
    );
  }
}

export async function down(dir: string): Promise<void> {
  const cluster = readCluster(dir);
  // Clients first, the databases they write to after, the coordination service last.
  for (const node of cluster.nodes) await stopPid(node.pid);
  await stopPid(cluster.haproxy.pid);
  for (const pg of cluster.postgres) await stopPid(pg.patroniPid, 30_000);
  // A postmaster whose Patroni was killed outlives it: stop the ones still running from this cluster.
  for (const pg of cluster.postgres) {
    const pid = postmasterPid(path.join(dir, pg.name, 'data'));
    if (pid) await stopPid(pid, 30_000);
  }
  for (const s of cluster.sentinels) await stopPid(s.pid);
  for (const r of cluster.redis) await stopPid(r.pid);
  await stopPid(cluster.etcd.pid);
  console.log(`cluster in ${dir} stopped`);
}
