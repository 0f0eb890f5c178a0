/**
 * The live connection to `/api/v1/ws` (API.md "Battles"): typed events, automatic reconnect with
 * exponential backoff and jitter, re-authentication and state re-sync on every reconnect (`hello`
 * carries the player, the balance and the pending challenges, so an event lost while away is never lost
 * for good), a ping keepalive that notices a dead peer, and a stop on the close codes that say "don't
 * retry" (4001 not authenticated and 4003 session ended → `session-expired`; 4008 too many sockets).
 *
 * It runs in browsers and in Node alike and imports nothing of Node: the socket comes from a factory.
 * The default one uses the global `WebSocket` and authenticates with a first `{type:"auth", token}`
 * message (browsers cannot set headers); Node passes the `ws` package through `headerAuthSockets(WS)`,
 * which sends the token in the `Authorization` header of the upgrade instead.
 *
 * Every incoming frame is checked against the protocol's `ServerMessage` schema; a frame that is not
 * JSON or does not match is dropped (reported as `invalid`), never handed on. Every battle is re-checked
 * with `verifyBattle` (see checked-battle.ts); a resolved one that fails also raises `unverified`.
 */
import { type ClientMessage, ServerMessage, WsCloseCode } from '@metagameplay/protocol';
import { Value } from 'typebox/value';
import { checkBattle } from './checked-battle';
import { EventListeners, type Listener } from './event-listeners';
import type { RealtimeEvent, RealtimeEventMap, RealtimeStatus, StopReason } from './realtime-events';
import { backoffDelay } from './retry';
import {
  frameText,
  globalSockets,
  safeClose,
  type SocketFactory,
  type WebSocketLike,
  websocketUrl,
} from './sockets';

export interface ReconnectPolicy {
  /** The first wait after a drop, before jitter. Default 500 ms. */
  baseDelayMs: number;
  /** The longest wait. Default 15 s. */
  maxDelayMs: number;
}

export interface RealtimeOptions {
  /** The server root, e.g. 'http://127.0.0.1:8080' (http → ws, https → wss). */
  baseUrl: string;
  /** Read at every (re)connect, so a new login's token is used. Null stops with `session-expired`. */
  token: () => string | null;
  sockets?: SocketFactory;
  reconnect?: Partial<ReconnectPolicy>;
  /** An application ping every this often; default 20 s. */
  pingIntervalMs?: number;
  /** No frame at all this long after a ping means a dead peer: drop and reconnect. Default 10 s. */
  pongTimeoutMs?: number;
  /** Jitter source in [0, 1). Default Math.random. */
  random?: () => number;
}

const DEFAULT_RECONNECT: ReconnectPolicy = { baseDelayMs: 500, maxDelayMs: 15_000 };
const OPEN = 1;

/** Reconnect waits never fall below half their window ("equal jitter"): a server that just dropped
 * everyone is not hit again at once by all of them. */
const RECONNECT_FLOOR = 0.5;

export class RealtimeConnection {
  private status: RealtimeStatus = 'connecting';
  private socket: WebSocketLike | null = null;
  /** Failed attempts since the last `hello`. */
  private attempt = 0;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private pingTimer: ReturnType<typeof setInterval> | null = null;
  private pongTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly listeners = new EventListeners<RealtimeEventMap>();
  private readonly url: string;
  private readonly sockets: SocketFactory;
  private readonly policy: ReconnectPolicy;
  private readonly random: () => number;
  private readonly pingIntervalMs: number;
  private readonly pongTimeoutMs: number;

  constructor(private readonly options: RealtimeOptions) {
    this.url = websocketUrl(options.baseUrl);
    this.sockets = options.sockets ?? globalSockets;
    this.policy = { ...DEFAULT_RECONNECT, ...options.reconnect };
    this.random = options.random ?? Math.random;
    this.pingIntervalMs = options.pingIntervalMs ?? 20_000;
    this.pongTimeoutMs = options.pongTimeoutMs ?? 10_000;
  }

  get currentStatus(): RealtimeStatus {
    return this.status;
  }

  /** Subscribes to one event; returns the unsubscribe function. */
  on<E extends RealtimeEvent>(event: E, listener: Listener<RealtimeEventMap, E>): () => void {
    return this.listeners.on(event, listener);
  }

  /** Starts connecting (done by `connect()`). */
  start(): void {
    this.open();
  }

  /** Ends the connection for good: no more reconnects. */
  close(): void {
    if (this.status === 'stopped') return;
    const socket = this.socket;
    this.detach();
    if (socket !== null) safeClose(socket, 1000);
    this.stop('closed', 1000);
  }

  private open(): void {
    if (this.status === 'stopped') return;
    const token = this.options.token();
    if (token === null) {
      this.stop('session-expired', WsCloseCode.UNAUTHENTICATED);
      return;
    }
    this.setStatus(this.attempt === 0 ? 'connecting' : 'reconnecting');
    let opened: { socket: WebSocketLike; authInHeader: boolean };
    try {
      opened = this.sockets(this.url, token);
    } catch {
      this.scheduleReconnect();
      return;
    }
    const { socket, authInHeader } = opened;
    this.socket = socket;
    const current = () => this.socket === socket;
    socket.addEventListener('open', () => {
      if (!current()) return;
      if (!authInHeader) this.send({ type: 'auth', token });
      this.startPing();
    });
    socket.addEventListener('message', (event) => {
      if (current()) this.receive(event.data);
    });
    socket.addEventListener('close', (event) => {
      if (current()) this.closed(event.code ?? 1006);
    });
    // An error is always followed by a close, which decides what happens next.
    socket.addEventListener('error', () => undefined);
  }

  private receive(data: unknown): void {
    this.clearPongTimer();
    const text = frameText(data);
    let parsed: unknown;
    try {
      parsed = text === null ? undefined : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (parsed === undefined || !Value.Check(ServerMessage, parsed)) {
      this.emit('invalid', { data });
      return;
    }
    const message = parsed;
    switch (message.type) {
      case 'hello':
        this.attempt = 0;
        this.setStatus('open');
        this.emit('hello', {
          player: message.player,
          balance: message.balance,
          pendingChallenges: message.pendingChallenges.map(checkBattle),
        });
        return;
      case 'presence':
        this.emit('presence', { playerId: message.playerId, online: message.online });
        return;
      case 'battle.challenge':
      case 'battle.cancelled':
        this.emit(message.type, { battle: checkBattle(message.battle) });
        return;
      case 'battle.resolved': {
        const battle = checkBattle(message.battle);
        if (battle.verified === false) this.emit('unverified', { battle });
        this.emit('battle.resolved', { battle });
        return;
      }
      case 'balance':
        this.emit('balance', { balance: message.balance });
        return;
      case 'market.sold':
        this.emit('market.sold', { listing: message.listing });
        return;
      case 'error':
        this.emit('error', { code: message.code, message: message.message });
        return;
      case 'pong':
        return;
    }
  }

  private closed(code: number): void {
    this.detach();
    if (code === WsCloseCode.UNAUTHENTICATED || code === WsCloseCode.SESSION_ENDED) {
      this.stop('session-expired', code);
    } else if (code === WsCloseCode.TOO_MANY_SOCKETS) {
      this.stop('too-many-sockets', code);
    } else {
      this.scheduleReconnect();
    }
  }

  private scheduleReconnect(): void {
    if (this.status === 'stopped') return;
    this.attempt += 1;
    const delayMs = backoffDelay(this.attempt, this.policy, this.random, RECONNECT_FLOOR);
    this.setStatus('reconnecting', delayMs);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.open();
    }, delayMs);
  }

  private startPing(): void {
    this.stopPing();
    this.pingTimer = setInterval(() => {
      if (this.socket?.readyState !== OPEN) return;
      this.send({ type: 'ping' });
      if (this.pongTimer === null) {
        this.pongTimer = setTimeout(() => this.dead(), this.pongTimeoutMs);
      }
    }, this.pingIntervalMs);
  }

  /** No answer to a ping: the peer (or the path to it) is gone; do not wait for a close that may never come. */
  private dead(): void {
    this.pongTimer = null;
    const socket = this.socket;
    this.detach();
    if (socket !== null) safeClose(socket, 4000);
    this.scheduleReconnect();
  }

  private send(message: ClientMessage): void {
    const socket = this.socket;
    if (socket === null || socket.readyState !== OPEN) return;
    try {
      socket.send(JSON.stringify(message));
    } catch {
      // A socket that fails to send is closing; its close event reconnects.
    }
  }

  /** Forgets the current socket: its later events are ignored. */
  private detach(): void {
    this.socket = null;
    this.stopPing();
  }

  private stopPing(): void {
    if (this.pingTimer !== null) clearInterval(this.pingTimer);
    this.pingTimer = null;
    this.clearPongTimer();
  }

  private clearPongTimer(): void {
    if (this.pongTimer !== null) clearTimeout(this.pongTimer);
    this.pongTimer = null;
  }

  private stop(reason: StopReason, code: number): void {
    if (this.reconnectTimer !== null) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    this.stopPing();
    this.setStatus('stopped');
    this.emit('stopped', { reason, code });
  }

  private setStatus(status: RealtimeStatus, delayMs?: number): void {
    this.status = status;
    this.emit(
      'status',
      delayMs === undefined ? { status, attempt: this.attempt } : { status, attempt: this.attempt, delayMs },
    );
  }

  private emit<E extends RealtimeEvent>(event: E, payload: RealtimeEventMap[E]): void {
    this.listeners.emit(event, payload);
  }
}

/** Opens a live connection; it keeps itself connected until `close()` or a "don't retry" close code. */
export function connect(options: RealtimeOptions): RealtimeConnection {
  const connection = new RealtimeConnection(options);
  // Started after the caller's synchronous code, so listeners it adds right away see every event.
  queueMicrotask(() => connection.start());
  return connection;
}
