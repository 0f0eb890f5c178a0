/**
 * The WebSocket gateway of `/api/v1/ws` on this node: authenticates sockets (header, or a first `auth`
 * message within WS_AUTH_TIMEOUT_MS), counts them in Presence (at most 5 per player over all nodes),
 * sends `hello` with the current state, and hands bus events to the sockets of the players they name
 * (bus-fanout.ts). Frames are checked both ways (ws-messages.ts); sending and back-pressure are in
 * connection.ts, the sockets by player and token in socket-registry.ts.
 *
 * Two background jobs (bootstrap.ts runs them): heartbeat() pings every socket each WS_HEARTBEAT_MS and
 * drops one that answered none of the previous ping (dead peers go within two intervals); tickPresence()
 * renews this node's presence and announces the players of nodes that died.
 */
import {
  type Battle,
  type ErrorCode,
  type ServerMessage,
  type ServerMessageOf,
  WsCloseCode,
  WsCloseReason,
} from '@metagameplay/protocol';
import type { FastifyBaseLogger } from 'fastify';
import type { RawData, WebSocket } from 'ws';
import type { Events } from '../../infra/events';
import type { Presence } from '../../infra/presence';
import type { AuthenticatedPlayer, AuthService } from '../auth/auth.service';
import type { PlayerService } from '../players/players.service';
import { subscribeFanOut } from './bus-fanout';
import { type Connection, type Corkable, deliver, newConnection, write } from './connection';
import { SocketRegistry } from './socket-registry';
import { encode, isClientMessage, rawText } from './ws-messages';

/** At most this many sockets per player, over all nodes (API.md). */
export const MAX_SOCKETS_PER_PLAYER = 5;
/** The longest setTimeout Node accepts; a session expiring later is re-checked then. */
const MAX_TIMER_MS = 2_147_483_647;

/** The pending battles of a player, for `hello`; the battles service provides it. */
export interface PendingChallenges {
  pendingFor(playerId: string): Promise<Battle[]>;
}

export interface GatewayDeps {
  events: Events;
  presence: Pick<Presence, 'connect' | 'disconnect' | 'tick' | 'close' | 'onReconnect'>;
  log: Pick<FastifyBaseLogger, 'debug' | 'warn' | 'error'>;
  auth: Pick<AuthService, 'authenticate'>;
  players: Pick<PlayerService, 'privateProfile'>;
  pendingChallenges: PendingChallenges;
  /** Called once when a player goes offline (everywhere): quick match takes it out of the queue. */
  onOffline(playerId: string): void;
  authTimeoutMs: number;
  maxBufferedBytes: number;
}

export class RealtimeGateway {
  readonly #sockets = new SocketRegistry();
  readonly #unsubscribe: () => void;
  readonly #stopReannouncing: () => void;
  #stopped = false;

  constructor(private readonly deps: GatewayDeps) {
    // A Redis back after an outage (maybe empty) or a failover: this node's players are online again at
    // once, not only at the next presence tick (challenges to them would be refused as offline meanwhile).
    this.#stopReannouncing = deps.presence.onReconnect(() => {
      void this.tickPresence().catch((error: unknown) =>
        deps.log.warn({ err: error }, 'presence re-announce failed'),
      );
    });
    this.#unsubscribe = subscribeFanOut(deps.events, {
      sendTo: (playerIds, message) => this.#sendTo(playerIds, message),
      broadcast: (message, exceptPlayerId) => this.#broadcast(message, exceptPlayerId),
      endSession: (tokenHash, reason) => {
        // A ban or a deletion says so in the close reason (`banned`, `deleted`): the client must not retry.
        const [message, closeReason] =
          reason === 'banned'
            ? ['The pilot was banned', WsCloseReason.BANNED]
            : reason === 'deleted'
              ? ['The account was deleted', WsCloseReason.DELETED]
              : ['The session ended', undefined];
        for (const conn of this.#sockets.ofToken(tokenHash)) {
          this.#refuse(conn, 'UNAUTHENTICATED', message, WsCloseCode.SESSION_ENDED, closeReason);
        }
      },
    });
  }

  /** Players with a socket open on this node. */
  get onlinePlayers(): number {
    return this.#sockets.playerCount;
  }

  /** Sockets open on this node (authenticated or not). */
  get openSockets(): number {
    return this.#sockets.size;
  }

  /** The heartbeat job: drops sockets that answered no ping since the last run, pings the rest. */
  heartbeat(): void {
    for (const conn of this.#sockets.all()) {
      if (!conn.alive) {
        conn.socket.terminate();
        continue;
      }
      conn.alive = false;
      conn.socket.ping();
    }
  }

  /** The presence job: renews this node's heartbeat and announces who went offline with dead nodes. */
  async tickPresence(): Promise<void> {
    for (const playerId of await this.deps.presence.tick()) this.#wentOffline(playerId);
  }

  /**
   * Takes a new socket: `player` when the upgrade carried a valid bearer token, null when it must send
   * an `auth` message first. `stream` is the upgraded TCP socket under it (frames of one turn share a write).
   */
  accept(socket: WebSocket, player: AuthenticatedPlayer | null, stream: Corkable | null = null): void {
    const conn = newConnection(socket, stream);
    this.#sockets.add(conn);
    socket.on('message', (data, isBinary) => this.#onMessage(conn, data, isBinary));
    socket.on('pong', () => {
      conn.alive = true;
    });
    socket.on('close', () => this.#onClose(conn));
    socket.on('error', (error) => this.deps.log.debug({ err: error }, 'websocket error'));
    if (this.#stopped) {
      socket.close(1001, 'server going away');
      return;
    }
    if (player) {
      this.#admit(conn, player);
    } else {
      conn.timer = setTimeout(() => {
        const seconds = this.deps.authTimeoutMs / 1000;
        this.#refuse(
          conn,
          'UNAUTHENTICATED',
          `No auth message within ${seconds} s`,
          WsCloseCode.UNAUTHENTICATED,
        );
      }, this.deps.authTimeoutMs);
    }
  }

  /** Closes every socket (1001) and removes this node from Presence, announcing who went offline. */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#unsubscribe();
    this.#stopReannouncing();
    for (const conn of this.#sockets.all()) {
      conn.counted = false;
      if (conn.state !== 'closed') conn.socket.close(1001, 'server going away');
    }
    const offline = await this.deps.presence.close();
    for (const playerId of offline) this.#wentOffline(playerId);
  }

  #onMessage(conn: Connection, data: RawData, isBinary: boolean): void {
    conn.alive = true;
    if (conn.state === 'closed') return;
    let message: unknown;
    try {
      if (isBinary) throw new Error('binary');
      message = JSON.parse(rawText(data));
    } catch {
      this.#sendError(conn, 'VALIDATION_ERROR', 'Messages are JSON text');
      return;
    }
    const invalid = (problem: string) =>
      this.#sendError(conn, 'VALIDATION_ERROR', `Invalid message: ${problem}`);
    if (!isClientMessage(message, invalid)) return;
    if (message.type === 'auth') {
      this.#authenticate(conn, message.token);
      return;
    }
    if (conn.state === 'authenticating') {
      this.#sendError(conn, 'UNAUTHENTICATED', 'Send {"type":"auth","token":...} first');
      return;
    }
    this.#send(conn, { type: 'pong' });
  }

  /** The handshake by message: one `auth` per socket, before anything else. */
  #authenticate(conn: Connection, token: string): void {
    if (conn.state !== 'authenticating' || conn.authStarted) {
      this.#sendError(conn, 'VALIDATION_ERROR', 'Already authenticated');
      return;
    }
    conn.authStarted = true;
    this.deps.auth.authenticate(token).then(
      (player) => {
        if (conn.state !== 'authenticating') return;
        if (!player) {
          this.#refuse(
            conn,
            'UNAUTHENTICATED',
            'The token is invalid, expired or revoked',
            WsCloseCode.UNAUTHENTICATED,
          );
          return;
        }
        this.#admit(conn, player);
      },
      (error: unknown) => this.#fail(conn, error),
    );
  }

  #admit(conn: Connection, player: AuthenticatedPlayer): void {
    if (conn.timer) clearTimeout(conn.timer);
    conn.timer = null;
    conn.state = 'syncing';
    void this.#register(conn, player).catch((error: unknown) => this.#fail(conn, error));
  }

  async #register(conn: Connection, player: AuthenticatedPlayer): Promise<void> {
    const { presence } = this.deps;
    const { accepted, cameOnline } = await presence.connect(player.id, MAX_SOCKETS_PER_PLAYER);
    if (conn.state === 'closed' || this.#stopped) {
      // Closed while we counted it: count it out again.
      if (accepted && (await presence.disconnect(player.id))) this.#wentOffline(player.id);
      return;
    }
    if (!accepted) {
      this.#refuse(
        conn,
        'TOO_MANY_SOCKETS',
        `At most ${MAX_SOCKETS_PER_PLAYER} sockets per player`,
        WsCloseCode.TOO_MANY_SOCKETS,
      );
      return;
    }
    conn.counted = true;
    conn.player = player;
    this.#sockets.admit(conn, player);
    this.#armExpiry(conn, player);
    if (cameOnline) this.#publishPresence(player.id, true);

    const [profile, pendingChallenges] = await Promise.all([
      this.deps.players.privateProfile(player.id),
      this.deps.pendingChallenges.pendingFor(player.id),
    ]);
    if (conn.state !== 'syncing') return;
    const hello: ServerMessageOf<'hello'> = {
      type: 'hello',
      player: profile,
      balance: profile.balance,
      pendingChallenges,
    };
    const text = encode(hello, this.deps.log);
    if (text === null) throw new Error('hello does not match its schema');
    const backlog = conn.backlog;
    conn.backlog = [];
    conn.state = 'open';
    this.#deliver(conn, text);
    for (const queued of backlog) this.#deliver(conn, queued);
  }

  #armExpiry(conn: Connection, player: AuthenticatedPlayer): void {
    const left = player.expiresAt - Date.now();
    conn.timer = setTimeout(
      () => {
        if (Date.now() >= player.expiresAt) {
          this.#refuse(conn, 'UNAUTHENTICATED', 'The session expired', WsCloseCode.SESSION_ENDED);
        } else {
          this.#armExpiry(conn, player);
        }
      },
      Math.max(0, Math.min(left, MAX_TIMER_MS)),
    );
  }

  #onClose(conn: Connection): void {
    conn.state = 'closed';
    if (conn.timer) clearTimeout(conn.timer);
    this.#sockets.remove(conn);
    const player = conn.player;
    if (!player || !conn.counted) return;
    conn.counted = false;
    void this.deps.presence.disconnect(player.id).then(
      (offline) => {
        if (offline) this.#wentOffline(player.id);
      },
      (error: unknown) => this.deps.log.warn({ err: error }, 'presence disconnect failed'),
    );
  }

  #wentOffline(playerId: string): void {
    this.#publishPresence(playerId, false);
    this.deps.onOffline(playerId);
  }

  #publishPresence(playerId: string, online: boolean): void {
    void this.deps.events.publish('presence', { playerId, online }).catch(() => undefined);
  }

  #sendTo(playerIds: readonly string[], message: ServerMessage): void {
    const targets = this.#sockets.ofPlayers(playerIds);
    if (targets.length === 0) return;
    const text = encode(message, this.deps.log);
    if (text === null) return;
    for (const conn of targets) this.#deliver(conn, text);
  }

  #broadcast(message: ServerMessage, exceptPlayerId: string): void {
    if (!this.#sockets.hasPlayers) return;
    const text = encode(message, this.deps.log);
    if (text === null) return;
    for (const conn of this.#sockets.othersThan(exceptPlayerId)) this.#deliver(conn, text);
  }

  #send(conn: Connection, message: ServerMessage): void {
    const text = encode(message, this.deps.log);
    if (text !== null) this.#deliver(conn, text);
  }

  #deliver(conn: Connection, text: string): void {
    deliver(conn, text, this.deps.maxBufferedBytes);
  }

  #sendError(conn: Connection, code: ErrorCode, message: string): void {
    // Error frames go out at once, also before `hello` (they answer the client's own message).
    const text = encode({ type: 'error', code, message }, this.deps.log);
    if (text !== null && conn.state !== 'closed') write(conn, text, this.deps.maxBufferedBytes);
  }

  #refuse(conn: Connection, code: ErrorCode, message: string, closeCode: number, closeReason?: string): void {
    if (conn.state === 'closed') return;
    this.#sendError(conn, code, message);
    conn.state = 'closed';
    conn.socket.close(closeCode, (closeReason ?? message).slice(0, 120));
  }

  #fail(conn: Connection, error: unknown): void {
    this.deps.log.error({ err: error }, 'websocket failed');
    if (conn.state === 'closed') return;
    this.#sendError(conn, 'INTERNAL_ERROR', 'Internal error');
    conn.state = 'closed';
    conn.socket.close(1011, 'internal error');
  }
}
