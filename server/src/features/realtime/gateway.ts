/**
 * The WebSocket gateway of `/api/v1/ws` on this node: authenticates sockets (header, or a first `auth`
 * message within WS_AUTH_TIMEOUT_MS), counts them in Presence (at most 5 per player over all nodes),
 * sends `hello` with the current state, and forwards bus events to the sockets of the players they name,
 * so an event published on any node reaches a player whichever node holds its sockets.
 *
 * Every frame is validated both ways with the protocol's schemas: an invalid client message gets an
 * `error` frame (never a crash); an outgoing message that fails its schema is a bug, logged and not sent.
 * Liveness: a ping frame every WS_HEARTBEAT_MS, and a socket that answered none of the previous one is
 * dropped (dead peers go within two intervals). A socket whose send buffer passes WS_MAX_BUFFERED_BYTES is
 * closed (4009) rather than buffered without limit; it reconnects and gets the state in `hello`.
 * Events that arrive while `hello` is being prepared wait behind it, so `hello` is always first.
 */
import {
  type Battle,
  BusEvents,
  type BusChannel,
  ClientMessage,
  type ErrorCode,
  ServerMessage,
  type ServerMessageOf,
  WsCloseCode,
} from '@metagameplay/protocol';
import type { TSchema } from 'typebox';
import type { RawData, WebSocket } from 'ws';
import type { ServiceContext } from '../../context';
import { validatorCompiler } from '../../plugins/validation';
import type { AuthenticatedPlayer, AuthService } from '../auth/auth.service';
import type { PlayerService } from '../players/players.service';

/** At most this many sockets per player, over all nodes (API.md). */
export const MAX_SOCKETS_PER_PLAYER = 5;
/** Events queued for a socket still waiting for its `hello`; more means it will not keep up. */
const MAX_BACKLOG = 1_000;
/** The longest setTimeout Node accepts; a session expiring later is re-checked then. */
const MAX_TIMER_MS = 2_147_483_647;

/** The pending battles of a player, for `hello`; the battles service provides it. */
export interface PendingChallenges {
  pendingFor(playerId: string): Promise<Battle[]>;
}

/** Returns a description of what is wrong with `data`, or null when it matches the schema. */
function checker(schema: TSchema): (data: unknown) => string | null {
  const validate = validatorCompiler({ schema, httpPart: 'body', method: 'GET', url: '/api/v1/ws' });
  return (data) => {
    const result = validate(data) as { error?: unknown } | boolean;
    if (typeof result !== 'object' || !result.error) return null;
    const first = (result.error as { validation?: { instancePath?: string; message?: string }[] })
      .validation?.[0];
    return `${first?.instancePath || 'message'} ${first?.message ?? 'is invalid'}`.trim();
  };
}

const checkClientMessage = checker(ClientMessage);
const checkServerMessage = checker(ServerMessage);
const busCheckers = Object.fromEntries(
  Object.entries(BusEvents).map(([channel, schema]) => [channel, checker(schema)]),
) as Record<BusChannel, (data: unknown) => string | null>;

interface Connection {
  socket: WebSocket;
  state: 'authenticating' | 'syncing' | 'open' | 'closed';
  player: AuthenticatedPlayer | null;
  /** An `auth` message is being checked (a second one is refused). */
  authStarted: boolean;
  /** Counted in Presence: its close must be counted too. */
  counted: boolean;
  backlog: string[];
  alive: boolean;
  timer: NodeJS.Timeout | null;
}

export interface GatewayOptions {
  authTimeoutMs: number;
  heartbeatMs: number;
  maxBufferedBytes: number;
  presenceTickMs: number;
}

export class RealtimeGateway {
  /** The battles service (services.ts wires it); a gateway built alone reports none. */
  pendingChallenges: PendingChallenges = { pendingFor: () => Promise.resolve([]) };
  /** Called once when a player goes offline (everywhere): quick match takes it out of the queue. */
  onOffline: (playerId: string) => void = () => {};

  readonly #connections = new Set<Connection>();
  readonly #byPlayer = new Map<string, Set<Connection>>();
  readonly #byToken = new Map<string, Set<Connection>>();
  readonly #unsubscribe: (() => void)[] = [];
  readonly #intervals: NodeJS.Timeout[] = [];
  #stopped = false;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly auth: AuthService,
    private readonly players: PlayerService,
    private readonly options: GatewayOptions,
  ) {}

  /** Sockets open on this node (authenticated or not). */
  get openSockets(): number {
    return this.#connections.size;
  }

  start(): void {
    const { bus } = this.ctx;
    const on = <C extends BusChannel>(channel: C, handle: (event: Record<string, unknown>) => void) => {
      this.#unsubscribe.push(
        bus.subscribe(channel, (event) => {
          const problem = busCheckers[channel](event);
          if (problem) {
            this.ctx.log.warn({ channel, problem }, 'dropped an invalid bus event');
            return;
          }
          handle(event as Record<string, unknown>);
        }),
      );
    };
    for (const type of ['battle.challenge', 'battle.resolved', 'battle.cancelled'] as const) {
      on(type, (event) => {
        const battle = event.battle as Battle;
        this.#sendTo([battle.challengerId, battle.opponentId], { type, battle });
      });
    }
    on('balance', (event) => {
      this.#sendTo([event.playerId as string], { type: 'balance', balance: event.balance as number });
    });
    on('presence', (event) => {
      const playerId = event.playerId as string;
      this.#broadcast({ type: 'presence', playerId, online: event.online as boolean }, playerId);
    });
    on('session.revoked', (event) => {
      for (const conn of [...(this.#byToken.get(event.tokenHash as string) ?? [])]) {
        this.#refuse(conn, 'UNAUTHENTICATED', 'The session ended', WsCloseCode.SESSION_ENDED);
      }
    });

    const heartbeat = setInterval(() => {
      for (const conn of this.#connections) {
        if (!conn.alive) {
          conn.socket.terminate();
          continue;
        }
        conn.alive = false;
        conn.socket.ping();
      }
    }, this.options.heartbeatMs);
    const presenceTick = setInterval(() => {
      void this.ctx.presence.tick().then((offline) => {
        for (const playerId of offline) this.#wentOffline(playerId);
      });
    }, this.options.presenceTickMs);
    heartbeat.unref();
    presenceTick.unref();
    this.#intervals.push(heartbeat, presenceTick);
    // Register this node's heartbeat (and sweep nodes that died while none was running) at once.
    void this.ctx.presence.tick().then((offline) => {
      for (const playerId of offline) this.#wentOffline(playerId);
    });
  }

  /**
   * Takes a new socket: `player` when the upgrade carried a valid bearer token, null when it must send
   * an `auth` message first.
   */
  accept(socket: WebSocket, player: AuthenticatedPlayer | null): void {
    const conn: Connection = {
      socket,
      state: 'authenticating',
      player: null,
      authStarted: false,
      counted: false,
      backlog: [],
      alive: true,
      timer: null,
    };
    this.#connections.add(conn);
    socket.on('message', (data, isBinary) => this.#onMessage(conn, data, isBinary));
    socket.on('pong', () => {
      conn.alive = true;
    });
    socket.on('close', () => this.#onClose(conn));
    socket.on('error', (error) => this.ctx.log.debug({ err: error }, 'websocket error'));
    if (this.#stopped) {
      socket.close(1001, 'server going away');
      return;
    }
    if (player) {
      this.#admit(conn, player);
    } else {
      conn.timer = setTimeout(() => {
        const seconds = this.options.authTimeoutMs / 1000;
        this.#refuse(
          conn,
          'UNAUTHENTICATED',
          `No auth message within ${seconds} s`,
          WsCloseCode.UNAUTHENTICATED,
        );
      }, this.options.authTimeoutMs);
    }
  }

  /** Closes every socket (1001) and removes this node from Presence, announcing who went offline. */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    for (const interval of this.#intervals) clearInterval(interval);
    for (const unsubscribe of this.#unsubscribe) unsubscribe();
    for (const conn of this.#connections) {
      conn.counted = false;
      if (conn.state !== 'closed') conn.socket.close(1001, 'server going away');
    }
    const offline = await this.ctx.presence.close();
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
    const problem = checkClientMessage(message);
    if (problem) {
      this.#sendError(conn, 'VALIDATION_ERROR', `Invalid message: ${problem}`);
      return;
    }
    const valid = message as ClientMessage;
    if (valid.type === 'auth') {
      if (conn.state !== 'authenticating' || conn.authStarted) {
        this.#sendError(conn, 'VALIDATION_ERROR', 'Already authenticated');
        return;
      }
      conn.authStarted = true;
      this.auth.authenticate(valid.token).then(
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
      return;
    }
    if (conn.state === 'authenticating') {
      this.#sendError(conn, 'UNAUTHENTICATED', 'Send {"type":"auth","token":...} first');
      return;
    }
    this.#send(conn, { type: 'pong' });
  }

  #admit(conn: Connection, player: AuthenticatedPlayer): void {
    if (conn.timer) clearTimeout(conn.timer);
    conn.timer = null;
    conn.state = 'syncing';
    void this.#register(conn, player).catch((error: unknown) => this.#fail(conn, error));
  }

  async #register(conn: Connection, player: AuthenticatedPlayer): Promise<void> {
    const { accepted, cameOnline } = await this.ctx.presence.connect(player.id, MAX_SOCKETS_PER_PLAYER);
    if (conn.state === 'closed' || this.#stopped) {
      // Closed while we counted it: count it out again.
      if (accepted && (await this.ctx.presence.disconnect(player.id))) this.#wentOffline(player.id);
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
    addTo(this.#byPlayer, player.id, conn);
    addTo(this.#byToken, player.tokenHash, conn);
    this.#armExpiry(conn, player);
    if (cameOnline) this.#publish('presence', { playerId: player.id, online: true });

    const [profile, pendingChallenges] = await Promise.all([
      this.players.privateProfile(player.id),
      this.pendingChallenges.pendingFor(player.id),
    ]);
    if (conn.state !== 'syncing') return;
    const hello: ServerMessageOf<'hello'> = {
      type: 'hello',
      player: profile,
      balance: profile.balance,
      pendingChallenges,
    };
    const text = encode(hello, this.ctx);
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
    this.#connections.delete(conn);
    const player = conn.player;
    if (!player) return;
    removeFrom(this.#byPlayer, player.id, conn);
    removeFrom(this.#byToken, player.tokenHash, conn);
    if (!conn.counted) return;
    conn.counted = false;
    void this.ctx.presence.disconnect(player.id).then(
      (offline) => {
        if (offline) this.#wentOffline(player.id);
      },
      (error: unknown) => this.ctx.log.warn({ err: error }, 'presence disconnect failed'),
    );
  }

  #wentOffline(playerId: string): void {
    this.#publish('presence', { playerId, online: false });
    this.onOffline(playerId);
  }

  #publish<C extends BusChannel>(channel: C, event: unknown): void {
    void this.ctx.bus.publish(channel, event).catch(() => undefined);
  }

  #sendTo(playerIds: readonly string[], message: ServerMessage): void {
    const targets = [...new Set(playerIds)].flatMap((id) => [...(this.#byPlayer.get(id) ?? [])]);
    if (targets.length === 0) return;
    const text = encode(message, this.ctx);
    if (text === null) return;
    for (const conn of targets) this.#deliver(conn, text);
  }

  #broadcast(message: ServerMessage, exceptPlayerId: string): void {
    if (this.#byPlayer.size === 0) return;
    const text = encode(message, this.ctx);
    if (text === null) return;
    for (const [playerId, conns] of this.#byPlayer) {
      if (playerId === exceptPlayerId) continue;
      for (const conn of conns) this.#deliver(conn, text);
    }
  }

  #send(conn: Connection, message: ServerMessage): void {
    const text = encode(message, this.ctx);
    if (text !== null) this.#deliver(conn, text);
  }

  #sendError(conn: Connection, code: ErrorCode, message: string): void {
    // Error frames go out at once, also before `hello` (they answer the client's own message).
    const text = encode({ type: 'error', code, message }, this.ctx);
    if (text !== null && conn.state !== 'closed') this.#write(conn, text);
  }

  #deliver(conn: Connection, text: string): void {
    if (conn.state === 'syncing') {
      conn.backlog.push(text);
      if (conn.backlog.length > MAX_BACKLOG) this.#slow(conn);
      return;
    }
    if (conn.state === 'open') this.#write(conn, text);
  }

  #write(conn: Connection, text: string): void {
    if (conn.socket.bufferedAmount > this.options.maxBufferedBytes) {
      this.#slow(conn);
      return;
    }
    conn.socket.send(text);
  }

  #slow(conn: Connection): void {
    conn.state = 'closed';
    conn.backlog = [];
    conn.socket.close(WsCloseCode.SLOW_CONSUMER, 'slow consumer');
    // The close frame waits behind the unread data: do not wait for the peer to read it.
    setTimeout(() => conn.socket.terminate(), 1_000).unref();
  }

  #refuse(conn: Connection, code: ErrorCode, message: string, closeCode: number): void {
    if (conn.state === 'closed') return;
    this.#sendError(conn, code, message);
    conn.state = 'closed';
    conn.socket.close(closeCode, message.slice(0, 120));
  }

  #fail(conn: Connection, error: unknown): void {
    this.ctx.log.error({ err: error }, 'websocket failed');
    if (conn.state === 'closed') return;
    this.#sendError(conn, 'INTERNAL_ERROR', 'Internal error');
    conn.state = 'closed';
    conn.socket.close(1011, 'internal error');
  }
}

function encode(message: ServerMessage, ctx: ServiceContext): string | null {
  const problem = checkServerMessage(message);
  if (problem) {
    ctx.log.error({ type: message.type, problem }, 'an outgoing WebSocket message fails its schema');
    return null;
  }
  return JSON.stringify(message);
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
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
