/**
 * RedisPresence: presence shared by every node (see presence.ts for the contract). Keys, under the prefix:
 * - `presence:nodes`       sorted set: node id → heartbeat expiry (ms since epoch)
 * - `presence:node:<id>`   hash: player id → sockets of that player on that node
 * - `presence:count`       hash: player id → sockets on all nodes (the sum of the node hashes)
 * - `presence:online`      sorted set, all scores 0: online player ids in string order (ZRANGEBYLEX pages)
 * Every change is one Lua script, so the sum and the online set never disagree with the node hashes, and a
 * dead node is swept exactly once however many nodes sweep at the same time. (The sweep names node keys
 * it builds itself, so this needs one Redis, not a cluster.)
 *
 * Redis is a helper here too: this node keeps its own socket counts in memory, so while Redis is down it
 * answers from what it knows locally (its own players only) and never fails a socket; at the first tick
 * after an error, or when other nodes swept it during an outage, it writes its whole state back.
 */
import {
  type ConnectResult,
  DEFAULT_PRESENCE_TTL_MS,
  newNodeId,
  type Presence,
  type PresenceOptions,
} from './presence.js';
import { LuaScript, type Redis } from './redis.js';

// KEYS: count, node hash, online, nodes. ARGV: player, max, node id, heartbeat expiry.
// Registers the node's heartbeat if it has none yet, so a node that dies before its first tick is swept.
const CONNECT = new LuaScript(`
redis.call('ZADD', KEYS[4], 'NX', ARGV[4], ARGV[3])
local total = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0')
if total >= tonumber(ARGV[2]) then return {0, 0} end
redis.call('HINCRBY', KEYS[2], ARGV[1], 1)
redis.call('HINCRBY', KEYS[1], ARGV[1], 1)
if total <= 0 then
  redis.call('ZADD', KEYS[3], 0, ARGV[1])
  return {1, 1}
end
return {1, 0}`);

// KEYS: count, node hash, online. ARGV: player. Returns 1 when the player went offline.
const DISCONNECT = new LuaScript(`
local here = tonumber(redis.call('HGET', KEYS[2], ARGV[1]) or '0')
if here <= 0 then return 0 end
if here == 1 then redis.call('HDEL', KEYS[2], ARGV[1]) else redis.call('HINCRBY', KEYS[2], ARGV[1], -1) end
local total = redis.call('HINCRBY', KEYS[1], ARGV[1], -1)
if total <= 0 then
  redis.call('HDEL', KEYS[1], ARGV[1])
  redis.call('ZREM', KEYS[3], ARGV[1])
  return 1
end
return 0`);

// Removes the sockets of one node hash from the totals. Shared by SWEEP, RESTORE and LEAVE.
const REMOVE_NODE = `
local function remove_node(hash, count, online, offline)
  local entries = redis.call('HGETALL', hash)
  for i = 1, #entries, 2 do
    local total = redis.call('HINCRBY', count, entries[i], -tonumber(entries[i + 1]))
    if total <= 0 then
      redis.call('HDEL', count, entries[i])
      redis.call('ZREM', online, entries[i])
      table.insert(offline, entries[i])
    end
  end
  redis.call('DEL', hash)
end`;

// KEYS: nodes, count, online. ARGV: node id, expiry, now, node hash prefix.
// Renews this node's heartbeat (returning whether it was still registered), then sweeps dead nodes.
const TICK = new LuaScript(`${REMOVE_NODE}
local known = redis.call('ZSCORE', KEYS[1], ARGV[1])
local offline = {}
local dead = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[3])
for _, node in ipairs(dead) do
  if node ~= ARGV[1] then
    remove_node(ARGV[4] .. node, KEYS[2], KEYS[3], offline)
    redis.call('ZREM', KEYS[1], node)
  end
end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
local alive = 1
if not known or tonumber(known) <= tonumber(ARGV[3]) then alive = 0 end
return {alive, offline}`);

// KEYS: node hash, count, online. ARGV: player, sockets, player, sockets, ...
// Replaces this node's counts by the ones it holds in memory.
const RESTORE = new LuaScript(`${REMOVE_NODE}
local offline = {}
remove_node(KEYS[1], KEYS[2], KEYS[3], offline)
for i = 1, #ARGV, 2 do
  redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
  redis.call('HINCRBY', KEYS[2], ARGV[i], tonumber(ARGV[i + 1]))
  redis.call('ZADD', KEYS[3], 0, ARGV[i])
end
return 1`);

// KEYS: nodes, node hash, count, online. ARGV: node id.
const LEAVE = new LuaScript(`${REMOVE_NODE}
local offline = {}
remove_node(KEYS[2], KEYS[3], KEYS[4], offline)
redis.call('ZREM', KEYS[1], ARGV[1])
return offline`);

export interface RedisPresenceOptions extends PresenceOptions {
  keyPrefix?: string;
  /** Failed commands (this node then answers from memory until the next successful tick). */
  onError?: (err: unknown) => void;
}

export class RedisPresence implements Presence {
  readonly kind = 'redis' as const;
  readonly nodeId: string;
  readonly #client: Redis;
  readonly #ttlMs: number;
  readonly #now: () => number;
  readonly #onError: (err: unknown) => void;
  readonly #keys: { nodes: string; node: string; nodePrefix: string; count: string; online: string };
  /** This node's sockets per player: the truth this node restores Redis from. */
  readonly #local = new Map<string, number>();
  /** A write failed: Redis may disagree with #local until the next restore. */
  #dirty = false;

  constructor(client: Redis, options: RedisPresenceOptions = {}) {
    this.#client = client;
    this.nodeId = options.nodeId ?? newNodeId();
    this.#ttlMs = options.ttlMs ?? DEFAULT_PRESENCE_TTL_MS;
    this.#now = options.now ?? Date.now;
    this.#onError = options.onError ?? (() => {});
    const p = `${options.keyPrefix ?? ''}presence:`;
    this.#keys = {
      nodes: `${p}nodes`,
      node: `${p}node:${this.nodeId}`,
      nodePrefix: `${p}node:`,
      count: `${p}count`,
      online: `${p}online`,
    };
  }

  onReconnect(listener: () => void): () => void {
    // 'ready' comes at the first connection too (nothing lost then) and after every reconnection.
    let connected = this.#client.status === 'ready';
    const onReady = () => {
      if (connected) listener();
      connected = true;
    };
    this.#client.on('ready', onReady);
    return () => {
      this.#client.off('ready', onReady);
    };
  }

  async connect(playerId: string, max: number): Promise<ConnectResult> {
    const k = this.#keys;
    try {
      const [accepted, cameOnline] = (await CONNECT.run(
        this.#client,
        [k.count, k.node, k.online, k.nodes],
        [playerId, max, this.nodeId, this.#now() + this.#ttlMs],
      )) as [number, number];
      if (accepted === 1) this.#local.set(playerId, (this.#local.get(playerId) ?? 0) + 1);
      return { accepted: accepted === 1, cameOnline: cameOnline === 1 };
    } catch (err) {
      // Down: the socket is allowed (only this node's count can be checked), and restored later.
      this.#failed(err);
      const here = this.#local.get(playerId) ?? 0;
      if (here >= max) return { accepted: false, cameOnline: false };
      this.#local.set(playerId, here + 1);
      return { accepted: true, cameOnline: here === 0 };
    }
  }

  async disconnect(playerId: string): Promise<boolean> {
    const here = this.#local.get(playerId) ?? 0;
    if (here <= 1) this.#local.delete(playerId);
    else this.#local.set(playerId, here - 1);
    const k = this.#keys;
    try {
      return (await DISCONNECT.run(this.#client, [k.count, k.node, k.online], [playerId])) === 1;
    } catch (err) {
      this.#failed(err);
      return here === 1;
    }
  }

  async isOnline(playerId: string): Promise<boolean> {
    try {
      return (await this.#client.zscore(this.#keys.online, playerId)) !== null;
    } catch (err) {
      this.#onError(err);
      return this.#local.has(playerId);
    }
  }

  async list(afterId: string | null, limit: number): Promise<string[]> {
    try {
      const from = afterId === null ? '-' : `(${afterId}`;
      return await this.#client.zrangebylex(this.#keys.online, from, '+', 'LIMIT', 0, limit);
    } catch (err) {
      this.#onError(err);
      return [...this.#local.keys()]
        .filter((id) => afterId === null || id > afterId)
        .sort()
        .slice(0, limit);
    }
  }

  async count(): Promise<number> {
    try {
      return await this.#client.zcard(this.#keys.online);
    } catch (err) {
      this.#onError(err);
      return this.#local.size;
    }
  }

  async tick(): Promise<string[]> {
    const k = this.#keys;
    const now = this.#now();
    try {
      const [alive, offline] = (await TICK.run(
        this.#client,
        [k.nodes, k.count, k.online],
        [this.nodeId, now + this.#ttlMs, now, k.nodePrefix],
      )) as [number, string[]];
      // Swept by others (an outage longer than the TTL) or a write lost: write our whole state back.
      if (alive === 0 || this.#dirty) {
        this.#dirty = false;
        const args = [...this.#local].flatMap(([id, sockets]) => [id, sockets]);
        await RESTORE.run(this.#client, [k.node, k.count, k.online], args);
      }
      return offline;
    } catch (err) {
      this.#failed(err);
      return [];
    }
  }

  async close(): Promise<string[]> {
    const k = this.#keys;
    this.#local.clear();
    try {
      return (await LEAVE.run(this.#client, [k.nodes, k.node, k.count, k.online], [this.nodeId])) as string[];
    } catch (err) {
      // Unreachable: our heartbeat runs out and another node sweeps our sockets.
      this.#onError(err);
      return [];
    }
  }

  #failed(err: unknown): void {
    this.#dirty = true;
    this.#onError(err);
  }
}
