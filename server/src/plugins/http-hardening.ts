/**
 * HTTP hardening: what a hostile client sends before a route sees anything. Every refusal here leaves with
 * the documented error body, including the ones node's HTTP parser and Fastify's router make themselves
 * (a malformed request line, too many header bytes, a stalled request, a bad percent-encoding, an overlong
 * path parameter), which would otherwise answer in their own shapes or with an empty body.
 */
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import querystring from 'node:querystring';
import { type ErrorCode, errorStatus } from '@metagameplay/protocol';
import type { Server } from 'node:http';
import type {
  FastifyError,
  FastifyHttpOptions,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
} from 'fastify';
import type { Config } from '../config';
import { DomainError } from '../lib/domain-error';

const API_PREFIX = '/api/v1';

/** Answers that carry a token or a player's private data: no cache may keep them. */
const PRIVATE_PREFIXES = [
  `${API_PREFIX}/auth/`,
  `${API_PREFIX}/me`,
  `${API_PREFIX}/admin/`,
  `${API_PREFIX}/players/`,
];

function errorJson(code: ErrorCode, message: string): string {
  return JSON.stringify({ error: { code, message } });
}

/**
 * A refusal written straight to the socket, where there is no reply to send it with (node's parser gave up,
 * or a WebSocket upgrade was refused): our body, then the connection closes.
 */
export function refuseOnSocket(
  socket: Duplex,
  code: ErrorCode,
  message: string,
  headers: Record<string, string> = {},
): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const status = errorStatus[code];
  const body = errorJson(code, message);
  const reason = STATUS_TEXT[status] ?? 'Bad Request';
  const extra = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\n` +
      'Content-Type: application/json; charset=utf-8\r\n' +
      'X-Content-Type-Options: nosniff\r\n' +
      'Cache-Control: no-store\r\n' +
      'Connection: close\r\n' +
      extra.join('') +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  408: 'Request Timeout',
  431: 'Request Header Fields Too Large',
};

/**
 * Errors node's HTTP parser raises before there is a request (clientError): a raw answer with our body,
 * then the connection closes (the parser cannot go on after a broken request).
 */
function answerClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [code, message]: [ErrorCode, string] =
    error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? ['REQUEST_TIMEOUT', 'The request took too long to arrive']
      : error.code === 'HPE_HEADER_OVERFLOW'
        ? ['HEADERS_TOO_LARGE', 'The request line and headers are too large']
        : ['VALIDATION_ERROR', 'Malformed HTTP request'];
  refuseOnSocket(socket, code, message);
}

/** Errors Fastify's router raises before a route is chosen. */
function answerFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const [code, message]: [ErrorCode, string] =
    error.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? ['URI_TOO_LONG', 'A path parameter is longer than 100 characters']
      : ['VALIDATION_ERROR', 'The URL is not valid percent-encoded UTF-8'];
  void reply
    .code(errorStatus[code])
    .header('x-request-id', request.id)
    .header('x-content-type-options', 'nosniff')
    .type('application/json; charset=utf-8')
    .send(errorJson(code, message));
}

/** Set on a query object whose raw text is not valid percent-encoded UTF-8 (see parseQuery). */
const MALFORMED_QUERY = Symbol('malformed query');

/**
 * The query string parser: node's (like Fastify's default) keeps a value it cannot decode as it was ("%FF" stays
 * "%FF"), which would search for something the client never meant; such a query is refused instead.
 */
function parseQuery(text: string): Record<string, unknown> {
  try {
    decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return { [MALFORMED_QUERY]: true };
  }
  return querystring.parse(text);
}

/** Fastify options of the HTTP layer; buildApp spreads them into its own. */
export function hardenedServerOptions(config: Config): FastifyHttpOptions<Server> {
  return {
    // Headers and body must have arrived within this time (node checks every second); see answerClientError.
    requestTimeout: config.requestTimeoutMs,
    http: {
      headersTimeout: config.requestTimeoutMs,
      connectionsCheckingInterval: Math.min(1000, config.requestTimeoutMs),
      // Node's own refusal of an HTTP/1.1 request without Host is a 400 with an empty body; the onRequest
      // hook below refuses it in our shape instead.
      requireHostHeader: false,
    },
    clientErrorHandler: answerClientError,
    frameworkErrors: answerFrameworkError,
    routerOptions: { querystringParser: parseQuery },
  };
}

export function registerHttpHardening(app: FastifyInstance): void {
  // Node keeps the first 1,000 headers of a request and silently drops the rest (a Host, a content-type or
  // an Upgrade sent after them would vanish); the 16 KiB limit on the whole head (431 above) is bound enough.
  app.server.maxHeadersCount = 0;
  // Only JSON is read: text/plain would otherwise be parsed as a string and refused as a 400, unlike
  // every other foreign type (415). The JSON parser refuses bytes that are not UTF-8 rather than let
  // them become U+FFFD (a password or name altered without a word).
  app.removeContentTypeParser('text/plain');
  // Any other type: an empty body is no body (some clients label even that), anything else is a 415.
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => {
    if ((body as Buffer).length === 0) {
      done(null, undefined);
      return;
    }
    done(
      new DomainError('UNSUPPORTED_MEDIA_TYPE', 'Send JSON with content-type application/json'),
      undefined,
    );
  });
  app.removeContentTypeParser('application/json');
  const parseJson = app.getDefaultJsonParser('error', 'error');
  const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    let text: string;
    try {
      text = utf8.decode(body as Buffer);
    } catch {
      done(
        new DomainError('VALIDATION_ERROR', 'The body is not valid UTF-8', [
          { field: 'body', message: 'is not valid UTF-8' },
        ]),
        undefined,
      );
      return;
    }
    // The default parser calls done itself; its return value is not a promise we own.
    void parseJson(request, text, done);
  });

  // A request that arrives while the server is closing (on a connection that was still busy) is refused
  // here, in our shape, instead of by Fastify's return503OnClosing (its own body). preClose hooks run as
  // soon as close() begins, before the server stops listening.
  let closing = false;
  app.addHook('preClose', (done) => {
    closing = true;
    done();
  });

  app.addHook('onRequest', (request, reply, done) => {
    // Every answer carries its request id (a refusal below too).
    void reply.header('x-content-type-options', 'nosniff').header('x-request-id', request.id);
    const url = request.url;
    if (PRIVATE_PREFIXES.some((prefix) => url.startsWith(prefix)) || url.startsWith('/metrics')) {
      void reply.header('cache-control', 'no-store');
    }
    if (closing) {
      done(
        new DomainError('SERVICE_UNAVAILABLE', 'The server is shutting down; try again shortly', undefined, {
          connection: 'close',
          'retry-after': '1',
        }),
      );
      return;
    }
    if (request.raw.httpVersion === '1.1' && request.headers.host === undefined) {
      done(
        new DomainError('VALIDATION_ERROR', 'An HTTP/1.1 request must have a Host header', [
          { field: 'headers/host', message: 'is required' },
        ]),
      );
      return;
    }
    if ((request.query as Record<symbol, unknown> | undefined)?.[MALFORMED_QUERY]) {
      done(
        new DomainError('VALIDATION_ERROR', 'The query string is not valid percent-encoded UTF-8', [
          { field: 'querystring', message: 'is not valid percent-encoded UTF-8' },
        ]),
      );
      return;
    }
    done();
  });
}
