/** The sockets this node holds, by player and by session token (for fan-out and for ending sessions). */
import type { AuthenticatedPlayer } from '../auth/auth.service';
import type { Connection } from './connection';

export class SocketRegistry {
  readonly #connections = new Set<Connection>();
  readonly #byPlayer = new Map<string, Set<Connection>>();
  readonly #byToken = new Map<string, Set<Connection>>();

  /** Sockets open on this node (authenticated or not). */
  /** Distinct players with a socket here. */
  get playerCount(): number {
    return this.#byPlayer.size;
  }

  get size(): number {
    return this.#connections.size;
  }

  all(): Iterable<Connection> {
    return this.#connections;
  }

  add(conn: Connection): void {
    this.#connections.add(conn);
  }

  /** Files an admitted socket under its player and token. */
  admit(conn: Connection, player: AuthenticatedPlayer): void {
    addTo(this.#byPlayer, player.id, conn);
    addTo(this.#byToken, player.tokenHash, conn);
  }

  remove(conn: Connection): void {
    this.#connections.delete(conn);
    const player = conn.player;
    if (!player) return;
    removeFrom(this.#byPlayer, player.id, conn);
    removeFrom(this.#byToken, player.tokenHash, conn);
  }

  /** The sockets of these players (each once). */
  ofPlayers(playerIds: readonly string[]): Connection[] {
    return [...new Set(playerIds)].flatMap((id) => [...(this.#byPlayer.get(id) ?? [])]);
  }

  ofToken(tokenHash: string): Connection[] {
    return [...(this.#byToken.get(tokenHash) ?? [])];
  }

  /** Every admitted socket except those of one player. */
  *othersThan(playerId: string): Iterable<Connection> {
    for (const [id, conns] of this.#byPlayer) if (id !== playerId) yield* conns;
  }

  get hasPlayers(): boolean {
    return this.#byPlayer.size > 0;
  }
}

function addTo<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  let set = map.get(key);
  if (!set) {
    set = new Set();
    map.set(key, set);
  }
  set.add(value);
}

function removeFrom<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  const set = map.get(key);
  if (!set) return;
  set.delete(value);
  if (set.size === 0) map.delete(key);
}
