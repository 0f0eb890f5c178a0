/** A WebSocket test client (the `ws` package): keeps every server message, waits for types and closes. */
import type { ServerMessage, ServerMessageOf, ServerMessageType } from '@metagameplay/protocol';
import WebSocket from 'ws';

export interface Closed {
  code: number;
  reason: string;
}

export class WsClient {
  readonly messages: ServerMessage[] = [];
  closed: Closed | null = null;
  #waiters: (() => void)[] = [];

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data: Buffer) => {
      this.messages.push(JSON.parse(data.toString('utf8')) as ServerMessage);
      this.#wake();
    });
    socket.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      this.#wake();
    });
    socket.on('error', () => {});
  }

  /** Opens a socket to `${baseUrl}/api/v1/ws`, with a bearer header when `token` is given. */
  static open(baseUrl: string, token?: string): Promise<WsClient> {
    const url = `${baseUrl.replace(/^http/, 'ws')}/api/v1/ws`;
    const socket = new WebSocket(url, token ? { headers: { authorization: `Bearer ${token}` } } : {});
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve(new WsClient(socket)));
      socket.once('unexpected-response', (_req, res) =>
        reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { statusCode: res.statusCode })),
      );
      socket.once('error', reject);
    });
  }

  /** Opens a socket and waits for its `hello`. */
  static async connect(
    baseUrl: string,
    token: string,
    by: 'header' | 'message' = 'header',
  ): Promise<WsClient> {
    const client = await WsClient.open(baseUrl, by === 'header' ? token : undefined);
    if (by === 'message') client.send({ type: 'auth', token });
    await client.next('hello');
    return client;
  }

  send(message: unknown): void {
    this.socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** The first message of `type` (matching `where`) received so far or within `timeoutMs`. */
  async next<T extends ServerMessageType>(
    type: T,
    where: (m: ServerMessageOf<T>) => boolean = () => true,
    timeoutMs = 10_000,
  ): Promise<ServerMessageOf<T>> {
    let found: ServerMessageOf<T> | undefined;
    await this.#until(() => {
      found = this.messages.find(
        (m): m is ServerMessageOf<T> => m.type === type && where(m as ServerMessageOf<T>),
      );
      return found !== undefined || this.closed !== null;
    }, timeoutMs);
    if (!found) throw new Error(`socket closed (${this.closed?.code}) before a '${type}' message`);
    return found;
  }

  /** Messages of one type received so far. */
  all<T extends ServerMessageType>(type: T): ServerMessageOf<T>[] {
    return this.messages.filter((m): m is ServerMessageOf<T> => m.type === type);
  }

  async waitClosed(timeoutMs = 10_000): Promise<Closed> {
    await this.#until(() => this.closed !== null, timeoutMs);
    return this.closed as Closed;
  }

  close(): Promise<Closed> {
    if (!this.closed) this.socket.close(1000);
    return this.waitClosed();
  }

  #wake(): void {
    for (const waiter of this.#waiters.splice(0)) waiter();
  }

  async #until(condition: () => boolean, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out after ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
}
