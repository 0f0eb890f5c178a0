/**
 * Authenticated WebSockets on `/api/v1/ws` for the bench: the bearer token in the header (as the console
 * and the Node client send it), open once the server's `hello` arrived. Loopback only. A loaded machine
 * may answer an upgrade 503 (database pool wait): such opens are retried and counted.
 */
import WebSocket from 'ws';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function wsUrl(httpUrl: string): string {
  return `${httpUrl.replace(/^http/, 'ws')}/api/v1/ws`;
}

function openOnce(httpUrl: string, token: string): Promise<WebSocket> {
  return new Promise<WebSocket>((resolve, reject) => {
    const ws = new WebSocket(wsUrl(httpUrl), { headers: { authorization: `Bearer ${token}` } });
    const fail = (error: Error) => {
      ws.terminate();
      reject(error);
    };
    ws.once('message', () => {
      ws.off('error', fail);
      ws.on('error', () => undefined);
      resolve(ws); // hello: always the first frame
    });
    ws.once('error', fail);
    ws.once('close', (code) => reject(new Error(`closed ${code} before hello`)));
  });
}

export interface SocketPool {
  sockets: WebSocket[];
  /** Opens retried (an upgrade refused or cut on a loaded machine). */
  retries: number;
  closeAll(): Promise<void>;
}

/** Opens one socket per token (tokens may repeat: several sockets of one player), `batch` at a time. */
export async function openSockets(httpUrl: string, tokens: string[], batch = 100): Promise<SocketPool> {
  const pool: SocketPool = {
    sockets: [],
    retries: 0,
    async closeAll() {
      await Promise.all(pool.sockets.map(closeSocket));
      pool.sockets = [];
    },
  };
  const open = async (token: string): Promise<WebSocket> => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await openOnce(httpUrl, token);
      } catch (error) {
        if (attempt >= 5) throw error;
        pool.retries++;
        await sleep(200 * (attempt + 1));
      }
    }
  };
  try {
    for (let from = 0; from < tokens.length; from += batch) {
      pool.sockets.push(...(await Promise.all(tokens.slice(from, from + batch).map(open))));
    }
  } catch (error) {
    await pool.closeAll();
    throw error;
  }
  return pool;
}

/** Closes a socket cleanly (the server counts the player offline) and waits for the close. */
export function closeSocket(ws: WebSocket): Promise<void> {
  if (ws.readyState === WebSocket.CLOSED) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      ws.terminate();
      resolve();
    }, 5_000);
    ws.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
    ws.close();
  });
}
