/**
 * Presence: which players hold an open WebSocket on any server node. A player is online while at least one
 * of its sockets is counted on a node whose heartbeat is alive. Each node renews its heartbeat with
 * tick(); a node that dies without closing its sockets (SIGKILL, power cut) stops renewing, and the next
 * tick() of any live node removes its sockets, so its players go offline within ttl + one tick interval.
 *
 * Two implementations, one test suite (server/test/infra/presence.test.ts): RedisPresence for N nodes and
 * MemoryPresence in process. Several MemoryPresence nodes may share one MemoryPresenceHub (tests model
 * several nodes with it); a lone node gets a hub of its own.
 */
import { randomBytes } from 'node:crypto';

export interface ConnectResult {
  /** False when the player already holds `max` sockets (on all nodes together). */
  accepted: boolean;
  /** True when this was the player's first socket anywhere: it just came online. */
  cameOnline: boolean;
}

export interface Presence {
  readonly kind: 'memory' | 'redis';
  /** This node's id (random per process). */
  readonly nodeId: string;
  /** Counts one more socket of the player on this node, unless it already holds `max` sockets. */
  connect(playerId: string, max: number): Promise<ConnectResult>;
  /** Counts one socket less on this node; true when it was the player's last: it just went offline. */
  disconnect(playerId: string): Promise<boolean>;
  isOnline(playerId: string): Promise<boolean>;
  /** Online players by id (string order), after `afterId` when given, at most `limit`. */
  list(afterId: string | null, limit: number): Promise<string[]>;
  /** How many players are online. */
  count(): Promise<number>;
  /**
   * Renews this node's heartbeat and removes the sockets of nodes whose heartbeat ran out. Returns the
   * players that went offline because of that (exactly one caller on one node gets each of them).
   */
  tick(): Promise<string[]>;
  /** Removes this node's sockets and heartbeat (a clean shutdown); returns the players that went offline. */
  close(): Promise<string[]>;
  /**
   * Calls `listener` whenever the shared store is reachable again after it was not (a restart, possibly
   * empty, or a failover to a replica): the node re-announces its players at once rather than at its
   * next tick. Returns the unsubscribe. The in-process store is never lost: it never calls.
   */
  onReconnect(listener: () => void): () => void;
}

export interface PresenceOptions {
  /** How long a node's heartbeat lasts without renewal. tick() should run several times within it. */
  ttlMs?: number;
  nodeId?: string;
  now?: () => number;
}

export const DEFAULT_PRESENCE_TTL_MS = 15_000;

export function newNodeId(): string {
  return randomBytes(6).toString('hex');
}

interface MemoryNode {
  expiresAt: number;
  sockets: Map<string, number>;
}

/** The shared state of in-process presence nodes. */
export class MemoryPresenceHub {
  readonly nodes = new Map<string, MemoryNode>();

  total(playerId: string): number {
    let total = 0;
    for (const node of this.nodes.values()) total += node.sockets.get(playerId) ?? 0;
    return total;
  }

  online(): string[] {
    const ids = new Set<string>();
    for (const node of this.nodes.values()) for (const id of node.sockets.keys()) ids.add(id);
    return [...ids].sort();
  }
}

export class MemoryPresence implements Presence {
  readonly kind = 'memory' as const;
  readonly nodeId: string;
  readonly #hub: MemoryPresenceHub;
  readonly #ttlMs: number;
  readonly #now: () => number;
  /** This node's sockets; a node swept while alive comes back with them, as RedisPresence restores. */
  readonly #sockets = new Map<string, number>();

  constructor(options: PresenceOptions & { hub?: MemoryPresenceHub } = {}) {
    this.nodeId = options.nodeId ?? newNodeId();
    this.#hub = options.hub ?? new MemoryPresenceHub();
    this.#ttlMs = options.ttlMs ?? DEFAULT_PRESENCE_TTL_MS;
    this.#now = options.now ?? Date.now;
    this.#node();
  }
  onReconnect(): () => void {
    return () => undefined;
  }

  /** This node's entry, re-registered if a sweep removed it. */
  #node(): MemoryNode {
    let node = this.#hub.nodes.get(this.nodeId);
    if (!node) {
      node = { expiresAt: this.#now() + this.#ttlMs, sockets: this.#sockets };
      this.#hub.nodes.set(this.nodeId, node);
    }
    return node;
  }

  connect(playerId: string, max: number): Promise<ConnectResult> {
    const node = this.#node();
    const total = this.#hub.total(playerId);
    if (total >= max) return Promise.resolve({ accepted: false, cameOnline: false });
    node.sockets.set(playerId, (node.sockets.get(playerId) ?? 0) + 1);
    return Promise.resolve({ accepted: true, cameOnline: total === 0 });
  }

  disconnect(playerId: string): Promise<boolean> {
    const node = this.#node();
    const here = node.sockets.get(playerId) ?? 0;
    if (here === 0) return Promise.resolve(false);
    if (here === 1) node.sockets.delete(playerId);
    else node.sockets.set(playerId, here - 1);
    return Promise.resolve(this.#hub.total(playerId) === 0);
  }

  isOnline(playerId: string): Promise<boolean> {
    return Promise.resolve(this.#hub.total(playerId) > 0);
  }

  list(afterId: string | null, limit: number): Promise<string[]> {
    const ids = this.#hub.online().filter((id) => afterId === null || id > afterId);
    return Promise.resolve(ids.slice(0, limit));
  }

  count(): Promise<number> {
    return Promise.resolve(this.#hub.online().length);
  }

  tick(): Promise<string[]> {
    const now = this.#now();
    this.#node().expiresAt = now + this.#ttlMs;
    const offline: string[] = [];
    for (const [id, node] of this.#hub.nodes) {
      if (node.expiresAt > now) continue;
      this.#hub.nodes.delete(id);
      for (const playerId of node.sockets.keys()) if (this.#hub.total(playerId) === 0) offline.push(playerId);
    }
    return Promise.resolve(offline);
  }

  close(): Promise<string[]> {
    const node = this.#hub.nodes.get(this.nodeId);
    this.#hub.nodes.delete(this.nodeId);
    const offline = [...(node?.sockets.keys() ?? [])].filter((id) => this.#hub.total(id) === 0);
    this.#sockets.clear();
    return Promise.resolve(offline);
  }
}
