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
import {
  type BalanceMessage,
  type ClientMessage,
  type ErrorMessage,
  type PresenceMessage,
  type PrivatePlayer,
  ServerMessage,
  WS_PATH,
  WsCloseCode,
} from '@metagameplay/protocol';
import type { Static } from 'typebox';
import { Value } from 'typebox/value';
import { type CheckedBattle, checkBattle } from './checked-battle';

/** What the connection needs of a WebSocket: the common ground of the browser's and the `ws` package's. */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(
    type: 'open' | 'message' | 'close' | 'error',
    listener: (event: SocketEvent) => void,
  ): void;
}

/** The fields read from socket events: `data` of a message, `code` and `reason` of a close. */
export interface SocketEvent {
  type: string;
  data?: unknown;
  code?: number;
  reason?: string;
}

/** Opens a socket to `url` for `token`; `authInHeader` says whether the token already went with it. */
export type SocketFactory = (url: string, token: string) => { socket: WebSocketLike; authInHeader: boolean };

/** A constructor like the `ws` package's, which takes headers. */
export type HeaderWebSocketConstructor = new (
  url: string,
  options: { headers: Record<string, string> },
) => WebSocketLike;

/** For Node: sockets of the `ws` package, authenticated by the `Authorization` header of the upgrade. */
export function headerAuthSockets(WebSocketClass: HeaderWebSocketConstructor): SocketFactory {
  return (url, token) => ({
    socket: new WebSocketClass(url, { headers: { authorization: `Bearer ${token}` } }),
    authInHeader: true,
  });
}

/** The default: the global `WebSocket` (browsers, Node 22+), authenticated by a first `auth` message. */
export const globalSockets: SocketFactory = (url) => {
  const WebSocketClass = (globalThis as { WebSocket?: new (url: string) => WebSocketLike }).WebSocket;
  if (WebSocketClass === undefined) {
    throw new Error(
      'No global WebSocket here: pass a socket factory (headerAuthSockets(WebSocket) from "ws")',
    );
  }
  return { socket: new WebSocketClass(url), authInHeader: false };
};

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

export type RealtimeStatus = 'connecting' | 'open' | 'reconnecting' | 'stopped';

export type StopReason = 'session-expired' | 'too-many-sockets' | 'closed';

/** `hello` as handed on: the protocol's message with every pending battle checked. */
export interface HelloEvent {
  player: PrivatePlayer;
  balance: number;
  pendingChallenges: CheckedBattle[];
}

export interface RealtimeEventMap {
  /** Authenticated (first connect or any reconnect): the whole current state, to re-sync from. */
  hello: HelloEvent;
  presence: Omit<Static<typeof PresenceMessage>, 'type'>;
  'battle.challenge': { battle: CheckedBattle };
  'battle.resolved': { battle: CheckedBattle };
  'battle.cancelled': { battle: CheckedBattle };
  balance: Omit<Static<typeof BalanceMessage>, 'type'>;
  /** An `error` frame from the server (a refused message, or the reason before a close). */
  error: Omit<Static<typeof ErrorMessage>, 'type'>;
  /** A resolved battle that `verifyBattle` refutes (it also arrives as usual, with `verified: false`). */
  unverified: { battle: CheckedBattle };
  /** A frame that was not JSON or not a valid server message; it was dropped. */
  invalid: { data: unknown };
  status: { status: RealtimeStatus; attempt: number; delayMs?: number };
  /** The connection ended for good; `close()` or a close code that says not to retry. */
  stopped: { reason: StopReason; code: number };
}

export type RealtimeEvent = keyof RealtimeEventMap;

/** One key per event, so the compiler says when an event is added to the map and not here. */
const EVERY_EVENT: { readonly [E in RealtimeEvent]: null } = {
  hello: null,
  presence: null,
  'battle.challenge': null,
  'battle.resolved': null,
  'battle.cancelled': null,
  balance: null,
  error: null,
  unverified: null,
  invalid: null,
  status: null,
  stopped: null,
};

/** Every event a connection emits: for code that forwards or records them all. */
export const REALTIME_EVENTS = Object.keys(EVERY_EVENT) as readonly RealtimeEvent[];
type Listener<E extends RealtimeEvent> = (payload: RealtimeEventMap[E]) => void;

const DEFAULT_RECONNECT: ReconnectPolicy = { baseDelayMs: 500, maxDelayMs: 15_000 };
const OPEN = 1;

/** The wait before reconnect attempt `attempt` (1-based): exponential, capped, with equal jitter. */
export function reconnectDelay(attempt: number, policy: ReconnectPolicy, random: () => number): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exponential / 2 + (exponential / 2) * random());
}

/** `http://host:port/x` → `ws://host:port/api/v1/ws`. */
export function websocketUrl(baseUrl: string): string {
  const root = baseUrl.replace(/\/+$/, '').replace(/^http(s?):\/\//i, 'ws$1://');
  return `${root}${WS_PATH}`;
}

export class RealtimeConnection {
  private status: RealtimeStatus = 'connecting';
  private socket: WebSocketLike | null = null;
  /** Failed attempts since the last `hello`. */
  private attempt = 0;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private pingTimer: ReturnType<typeof setInterval> | null = null;
  private pongTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly listeners = new Map<RealtimeEvent, Set<(payload: never) => void>>();
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
  on<E extends RealtimeEvent>(event: E, listener: Listener<E>): () => void {
    let set = this.listeners.get(event);
    if (set === undefined) {
      set = new Set();
      this.listeners.set(event, set);
    }
    const entry = listener as (payload: never) => void;
    set.add(entry);
    return () => set.delete(entry);
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
    const delayMs = reconnectDelay(this.attempt, this.policy, this.random);
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
    for (const listener of this.listeners.get(event) ?? []) {
      try {
        (listener as Listener<E>)(payload);
      } catch {
        // A listener's failure must not break the connection or the other listeners.
      }
    }
  }
}

/** Opens a live connection; it keeps itself connected until `close()` or a "don't retry" close code. */
export function connect(options: RealtimeOptions): RealtimeConnection {
  const connection = new RealtimeConnection(options);
  // Started after the caller's synchronous code, so listeners it adds right away see every event.
  queueMicrotask(() => connection.start());
  return connection;
}

function safeClose(socket: WebSocketLike, code: number): void {
  try {
    socket.close(code);
  } catch {
    // already closing or closed
  }
}

function frameText(data: unknown): string | null {
  if (typeof data === 'string') return data;
  if (data instanceof ArrayBuffer) return new TextDecoder().decode(data);
  if (ArrayBuffer.isView(data)) return new TextDecoder().decode(data);
  return null;
}
