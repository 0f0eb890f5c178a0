/**
 * Raw HTTP over a socket, for requests fetch will not send: bytes that are not valid UTF-8 or not
 * URL-encoded, unknown methods, thousands of headers, bodies that arrive slowly or never.
 */
import net from 'node:net';

export interface RawAnswer {
  /** 0 when the server closed the connection without answering. */
  status: number;
  headers: Record<string, string>;
  text: string;
  body: unknown;
  /** Milliseconds from the first byte sent to the connection's end. */
  elapsedMs: number;
}

/** Parses one HTTP/1.1 response (Content-Length or read-to-close; no chunked bodies expected). */
export function parseResponse(raw: Buffer, elapsedMs = 0): RawAnswer {
  const text = raw.toString('utf8');
  const head = text.indexOf('\r\n\r\n');
  if (head < 0) return { status: 0, headers: {}, text, body: null, elapsedMs };
  const [statusLine, ...lines] = text.slice(0, head).split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine ?? '')?.[1] ?? 0);
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  let bodyText = text.slice(head + 4);
  if (headers['transfer-encoding'] === 'chunked') {
    const parts: string[] = [];
    let rest = bodyText;
    for (;;) {
      const eol = rest.indexOf('\r\n');
      const size = Number.parseInt(rest.slice(0, eol), 16);
      if (!size) break;
      parts.push(rest.slice(eol + 2, eol + 2 + size));
      rest = rest.slice(eol + 2 + size + 2);
    }
    bodyText = parts.join('');
  }
  let body: unknown;
  try {
    body = bodyText ? JSON.parse(bodyText) : null;
  } catch {
    body = bodyText;
  }
  return { status, headers, text: bodyText, body, elapsedMs };
}

/**
 * Sends `request` (the whole request, or its start when `keepOpen`) and reads until the server closes
 * the connection or `timeoutMs` passes. With `keepOpen` the client never finishes its request.
 */
export function rawRequest(
  serverUrl: string,
  request: Buffer | string,
  options: { timeoutMs?: number; keepOpen?: boolean } = {},
): Promise<RawAnswer> {
  const { port, hostname } = new URL(serverUrl);
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ ...parseResponse(Buffer.concat(chunks), Date.now() - started), status: -1 });
    }, options.timeoutMs ?? 10_000);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      // A reset after the server answered and closed is an ending like any other.
      if (error.code !== 'ECONNRESET') {
        clearTimeout(timer);
        reject(error);
      }
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(parseResponse(Buffer.concat(chunks), Date.now() - started));
    });
    socket.write(request);
    if (!options.keepOpen) socket.end();
  });
}

/** A complete request with Connection: close; `target` and `headers` are sent as given (raw bytes). */
export function rawHttp(
  serverUrl: string,
  method: string,
  target: string | Buffer,
  options: { headers?: string[]; body?: Buffer | string; timeoutMs?: number } = {},
): Promise<RawAnswer> {
  const body = options.body === undefined ? undefined : Buffer.from(options.body);
  const head = [
    `${method} `,
    target,
    ' HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n',
    ...(options.headers ?? []).map((h) => `${h}\r\n`),
    body ? `Content-Length: ${body.length}\r\n` : '',
    '\r\n',
  ];
  const bytes = Buffer.concat([
    ...head.map((part) => (typeof part === 'string' ? Buffer.from(part, 'latin1') : part)),
    ...(body ? [body] : []),
  ]);
  return rawRequest(serverUrl, bytes, { timeoutMs: options.timeoutMs });
}
