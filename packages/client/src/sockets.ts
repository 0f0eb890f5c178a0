/**
 * The sockets of the live connection: the common ground of the browser's WebSocket and the `ws`
 * package's, the two ways to authenticate (a first `auth` message, or the upgrade's `Authorization`
 * header), and the URL of the endpoint. Nothing of Node is imported: the socket comes from a factory.
 */
import { WS_PATH } from '@metagameplay/protocol';

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

/** `http://host:port/x` → `ws://host:port/api/v1/ws`. */
export function websocketUrl(baseUrl: string): string {
  const root = baseUrl.replace(/\/+$/, '').replace(/^http(s?):\/\//i, 'ws$1://');
  return `${root}${WS_PATH}`;
}

export function safeClose(socket: WebSocketLike, code: number): void {
  try {
    socket.close(code);
  } catch {
    // already closing or closed
  }
}

export function frameText(data: unknown): string | null {
  if (typeof data === 'string') return data;
  if (data instanceof ArrayBuffer) return new TextDecoder().decode(data);
  if (ArrayBuffer.isView(data)) return new TextDecoder().decode(data);
  return null;
}
