/**
 * One socket of the gateway and how text reaches it. Events that arrive while its `hello` is being
 * prepared wait in a backlog behind it, so `hello` is always first. Back-pressure: a socket whose send
 * buffer passes WS_MAX_BUFFERED_BYTES, or whose backlog passes MAX_BACKLOG, is closed (4009) rather than
 * buffered without limit; it reconnects and gets the state in `hello`.
 */
import { WsCloseCode } from '@metagameplay/protocol';
import type { WebSocket } from 'ws';
import type { AuthenticatedPlayer } from '../auth/auth.service';

/** Events queued for a socket still waiting for its `hello`; more means it will not keep up. */
const MAX_BACKLOG = 1_000;

/** The TCP stream under a WebSocket (the upgrade request's socket), as far as writing needs it. */
export interface Corkable {
  cork(): void;
  uncork(): void;
}

export interface Connection {
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
  /**
   * The stream under the socket: frames written in one turn of the event loop (a battle's result and a
   * balance heard in one read from the bus) leave in one system call, corked until the turn ends.
   */
  stream: Corkable | null;
  corked: boolean;
}

export function newConnection(socket: WebSocket, stream: Corkable | null = null): Connection {
  return {
    socket,
    stream,
    corked: false,
    state: 'authenticating',
    player: null,
    authStarted: false,
    counted: false,
    backlog: [],
    alive: true,
    timer: null,
  };
}

/** Sends text in order: behind `hello` while it is prepared, at once on an open socket, never after close. */
export function deliver(conn: Connection, text: string, maxBufferedBytes: number): void {
  if (conn.state === 'syncing') {
    conn.backlog.push(text);
    if (conn.backlog.length > MAX_BACKLOG) closeSlow(conn);
    return;
  }
  if (conn.state === 'open') write(conn, text, maxBufferedBytes);
}

/** Writes at once, unless the peer is not reading what it was sent. */
export function write(conn: Connection, text: string, maxBufferedBytes: number): void {
  if (conn.socket.bufferedAmount > maxBufferedBytes) {
    closeSlow(conn);
    return;
  }
  if (conn.stream && !conn.corked) {
    conn.corked = true;
    conn.stream.cork();
    process.nextTick(uncork, conn);
  }
  conn.socket.send(text);
}

function uncork(conn: Connection): void {
  conn.corked = false;
  conn.stream?.uncork();
}

function closeSlow(conn: Connection): void {
  conn.state = 'closed';
  conn.backlog = [];
  conn.socket.close(WsCloseCode.SLOW_CONSUMER, 'slow consumer');
  // The close frame waits behind the unread data: do not wait for the peer to read it.
  setTimeout(() => conn.socket.terminate(), 1_000).unref();
}
