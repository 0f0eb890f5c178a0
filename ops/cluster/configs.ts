/**
 * The configuration files of the local HA topology (docs/HA.md explains each setting and its trade-off).
 *
 * Failover tuning: Patroni's leader key lives `ttl` seconds in etcd and is renewed every `loop_wait`; a
 * primary that dies (with its Patroni) is replaced once the key expires, so writes come back about `ttl`
 * plus one HAProxy check after the kill. Patroni asks loop_wait + 2 × retry_timeout ≤ ttl. HAProxy asks
 * each Patroni's REST `/primary` (200 only on the leader) every 500 ms and cuts the sessions of a server
 * marked down, so no node keeps writing to a demoted primary.
 */
export const SCOPE = 'metagameplay';
export const REDIS_MASTER_NAME = 'metagameplay';
export const PG_BIN = '/usr/lib/postgresql/15/bin';

export interface PatroniNode {
  name: string;
  port: number;
  restPort: number;
  dataDir: string;
  socketDir: string;
}

export function patroniConfig(
  node: PatroniNode,
  etcdPort: number,
  passwords: { superuser: string; replication: string },
): string {
  // YAML by hand: every value is ours (ports, paths under DIR, generated hex passwords), none needs quoting.
  return `scope: ${SCOPE}
name: ${node.name}
restapi:
  listen: 127.0.0.1:${node.restPort}
  connect_address: 127.0.0.1:${node.restPort}
etcd3:
  hosts: 127.0.0.1:${etcdPort}
bootstrap:
  dcs:
    ttl: 6
    loop_wait: 1
    retry_timeout: 2
    maximum_lag_on_failover: 1048576
    # A standby acknowledges every commit before the primary answers: a move answered 200 is on both.
    # Not strict: when the standby is lost, Patroni drops it from synchronous_standby_names and writes go
    # on unreplicated (they wait only until it notices, about loop_wait) rather than stopping the game.
    synchronous_mode: true
    synchronous_mode_strict: false
    postgresql:
      use_pg_rewind: true
      use_slots: true
      parameters:
        wal_level: replica
        hot_standby: 'on'
        wal_log_hints: 'on'
        max_wal_senders: 10
        max_replication_slots: 10
        synchronous_commit: 'on'
        max_connections: 200
  initdb:
    - encoding: UTF8
    - data-checksums
  pg_hba:
    - local all all trust
    - host replication replicator 127.0.0.1/32 scram-sha-256
    - host all all 127.0.0.1/32 scram-sha-256
postgresql:
  listen: 127.0.0.1:${node.port}
  connect_address: 127.0.0.1:${node.port}
  data_dir: ${node.dataDir}
  bin_dir: ${PG_BIN}
  pgpass: ${node.socketDir}/pgpass
  authentication:
    superuser:
      username: postgres
      password: ${passwords.superuser}
    replication:
      username: replicator
      password: ${passwords.replication}
    rewind:
      username: postgres
      password: ${passwords.superuser}
  parameters:
    unix_socket_directories: ${node.socketDir}
tags:
  nofailover: false
  noloadbalance: false
  clonefrom: false
  nosync: false
`;
}

export function haproxyConfig(primaryPort: number, statsPort: number, nodes: PatroniNode[]): string {
  const servers = nodes
    .map((n) => `  server ${n.name} 127.0.0.1:${n.port} check port ${n.restPort}`)
    .join('\n');
  return `global
  maxconn 2000

defaults
  mode tcp
  retries 2
  timeout connect 2s
  timeout client 30m
  timeout server 30m
  timeout check 1s

listen stats
  mode http
  bind 127.0.0.1:${statsPort}
  stats enable
  stats uri /

listen primary
  bind 127.0.0.1:${primaryPort}
  option httpchk GET /primary
  http-check expect status 200
  default-server inter 500ms fastinter 250ms fall 2 rise 1 on-marked-down shutdown-sessions
${servers}
`;
}

export function sentinelConfig(port: number, dir: string, primaryPort: number): string {
  return `port ${port}
bind 127.0.0.1
daemonize no
dir ${dir}
sentinel monitor ${REDIS_MASTER_NAME} 127.0.0.1 ${primaryPort} 2
sentinel down-after-milliseconds ${REDIS_MASTER_NAME} 1000
sentinel failover-timeout ${REDIS_MASTER_NAME} 5000
sentinel parallel-syncs ${REDIS_MASTER_NAME} 1
`;
}
