/**
 * One HTTP exchange with the game server, done robustly: a timeout per attempt, every failure turned
 * into an `ApiError` or `NetworkError` (never a SyntaxError from a proxy's HTML page), retries as
 * `retry.ts` allows, and conditional GETs for the public catalog. Knows nothing of the endpoints, so
 * battles and other features add methods to the client without touching it.
 */
import type { ErrorCode } from '@metagameplay/protocol';
import { ApiError, NetworkError } from './errors';
import { type RetryInfo, type RetryMode, type RetryPolicy, parseRetryAfter, retryDecision } from './retry';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';
export type QueryValue = string | number | boolean | null | undefined;

export interface TransportOptions {
  baseUrl: string;
  timeoutMs: number;
  retry: RetryPolicy;
  fetch: typeof fetch;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  onRetry?: (info: RetryInfo) => void;
  /** Sent as Accept-Language: the language the server names items in. */
  language?: string;
}

export interface RequestSpec {
  method: HttpMethod;
  /** From the server root, e.g. `/api/v1/me` or `/healthz`. Path segments already encoded. */
  path: string;
  query?: Readonly<Record<string, QueryValue>>;
  /** JSON body; undefined sends no body at all (and no JSON content type). */
  body?: unknown;
  token?: string | null;
  idempotencyKey?: string;
  retry: RetryMode;
  /** Statuses answered with a body rather than an ApiError; default: 2xx. */
  accept?: (status: number) => boolean;
  /**
   * False to ignore the response body (probes whose body is not part of the contract); 'text' to take
   * it as text, unparsed (a file to download).
   */
  parseBody?: boolean | 'text';
  /** Revalidate with If-None-Match and reuse the cached body on 304. */
  conditional?: boolean;
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON, or undefined for an empty body or when `parseBody` is false. */
  body: unknown;
}

interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
}

/** Failures that prove the request never reached the server: no connection was ever made. */
const NOT_DELIVERED_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

const CONDITIONAL_CACHE_SIZE = 64;

export class HttpTransport {
  private readonly baseUrl: string;
  private readonly conditionalCache = new Map<string, { etag: string; body: unknown }>();

  constructor(private readonly options: TransportOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
  }

  /** Sends the request, retrying as its mode allows, and returns the parsed JSON body. */
  async request<T>(spec: RequestSpec): Promise<T> {
    const response = await this.send(spec);
    return response.body as T;
  }

  async send(spec: RequestSpec): Promise<HttpResponse> {
    const url = this.url(spec.path, spec.query);
    const maxAttempts = this.options.retry.retries + 1;
    for (let attempt = 1; ; attempt++) {
      let reason: ApiError | NetworkError;
      try {
        return this.interpret(spec, url, await this.attempt(spec, url));
      } catch (error) {
        if (!(error instanceof ApiError || error instanceof NetworkError)) throw error;
        reason = error;
      }
      const delayMs = retryDecision(reason, spec.retry, attempt, this.options.retry, this.options.random);
      if (delayMs === null) throw reason;
      this.notifyRetry({ attempt: attempt + 1, maxAttempts, delayMs, reason });
      await this.options.sleep(delayMs);
    }
  }

  url(path: string, query?: Readonly<Record<string, QueryValue>>): string {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(query ?? {})) {
      if (value !== undefined && value !== null) params.append(name, String(value));
    }
    const search = params.toString();
    return `${this.baseUrl}${path}${search === '' ? '' : `?${search}`}`;
  }

  private async attempt(spec: RequestSpec, url: string): Promise<RawResponse> {
    const headers: Record<string, string> = {
      accept: spec.parseBody === 'text' ? '*/*' : 'application/json',
    };
    if (this.options.language) headers['accept-language'] = this.options.language;
    if (spec.token) headers.authorization = `Bearer ${spec.token}`;
    if (spec.idempotencyKey !== undefined) headers['idempotency-key'] = spec.idempotencyKey;
    if (spec.body !== undefined) headers['content-type'] = 'application/json';
    const cached = spec.conditional ? this.conditionalCache.get(url) : undefined;
    if (cached) headers['if-none-match'] = cached.etag;

    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.options.timeoutMs);
    try {
      const response = await this.options.fetch(url, {
        method: spec.method,
        headers,
        body: spec.body === undefined ? undefined : JSON.stringify(spec.body),
        signal: controller.signal,
      });
      // Reading the body is inside the timeout too: a server that stalls mid-body is no answer either.
      const text = await response.text();
      return { status: response.status, headers: response.headers, text };
    } catch (error) {
      if (timedOut) {
        throw new NetworkError(
          'timeout',
          `No answer from ${spec.method} ${spec.path} within ${this.options.timeoutMs} ms`,
          {
            cause: error,
          },
        );
      }
      const notDelivered = isNotDelivered(error);
      const what = notDelivered ? 'Cannot reach the server' : 'The connection to the server failed';
      throw new NetworkError('network', `${what} (${spec.method} ${spec.path}): ${describe(error)}`, {
        cause: error,
        notDelivered,
      });
    } finally {
      clearTimeout(timer);
    }
  }

  private interpret(spec: RequestSpec, url: string, raw: RawResponse): HttpResponse {
    const accepted = spec.accept ? spec.accept(raw.status) : raw.status >= 200 && raw.status < 300;
    if (raw.status === 304 && spec.conditional) {
      const cached = this.conditionalCache.get(url);
      if (cached) return { status: 200, headers: raw.headers, body: cached.body };
    }
    if (!accepted) throw apiErrorFromResponse(raw.status, raw.headers, parseJson(raw.text));
    if (spec.parseBody === 'text') return { status: raw.status, headers: raw.headers, body: raw.text };
    if (spec.parseBody === false || raw.text.trim() === '') {
      return { status: raw.status, headers: raw.headers, body: undefined };
    }
    const parsed = parseJson(raw.text);
    if (!parsed.ok) {
      if (raw.status < 200 || raw.status >= 300) throw apiErrorFromResponse(raw.status, raw.headers, parsed);
      throw new ApiError(
        raw.status,
        'INTERNAL_ERROR' satisfies ErrorCode,
        'The server answered with a body that is not JSON',
      );
    }
    const etag = raw.headers.get('etag');
    if (spec.conditional && etag !== null) this.remember(url, etag, parsed.value);
    return { status: raw.status, headers: raw.headers, body: parsed.value };
  }

  private remember(url: string, etag: string, body: unknown): void {
    this.conditionalCache.delete(url);
    this.conditionalCache.set(url, { etag, body });
    if (this.conditionalCache.size > CONDITIONAL_CACHE_SIZE) {
      const oldest = this.conditionalCache.keys().next();
      if (!oldest.done) this.conditionalCache.delete(oldest.value);
    }
  }

  /** A logging hook must not change what happens to a purchase, so its failures are ignored. */
  private notifyRetry(info: RetryInfo): void {
    try {
      this.options.onRetry?.(info);
    } catch {
      // ignored on purpose, see above
    }
  }
}

export type JsonResult = { ok: true; value: unknown } | { ok: false };

function parseJson(text: string): JsonResult {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

/** The code to report when the body is not the API's error body (a proxy page, an empty 502). */
function codeForStatus(status: number): ErrorCode {
  switch (status) {
    case 400:
      return 'VALIDATION_ERROR';
    case 401:
      return 'UNAUTHENTICATED';
    case 403:
      return 'FORBIDDEN';
    case 404:
      return 'NOT_FOUND';
    case 413:
      return 'PAYLOAD_TOO_LARGE';
    case 415:
      return 'UNSUPPORTED_MEDIA_TYPE';
    case 429:
      return 'RATE_LIMITED';
    case 502:
    case 503:
    case 504:
      return 'SERVICE_UNAVAILABLE';
    default:
      return 'INTERNAL_ERROR';
  }
}

/** Builds the ApiError for an error status from the `{error: {code, message, details?}}` body, if any. */
export function apiErrorFromResponse(status: number, headers: Headers, body: JsonResult): ApiError {
  const retryAfterMs = parseRetryAfter(headers.get('retry-after'));
  const error = body.ok && isRecord(body.value) ? body.value.error : undefined;
  if (isRecord(error) && typeof error.code === 'string' && error.code !== '') {
    const message = typeof error.message === 'string' ? error.message : `HTTP ${status}`;
    return new ApiError(status, error.code, message, { details: error.details, retryAfterMs });
  }
  return new ApiError(status, codeForStatus(status), `The server answered HTTP ${status}`, { retryAfterMs });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Error codes anywhere in a fetch failure: Node nests them as `cause`, or in an AggregateError. */
function errorCodes(error: unknown, depth = 0): string[] {
  if (!isRecord(error) || depth > 4) return [];
  const own = typeof error.code === 'string' ? [error.code] : [];
  const nested = Array.isArray(error.errors)
    ? error.errors.flatMap((e: unknown) => errorCodes(e, depth + 1))
    : [];
  return [...own, ...nested, ...errorCodes(error.cause, depth + 1)];
}

function isNotDelivered(error: unknown): boolean {
  // Strict on purpose: one code that is not about connecting (ECONNRESET, UND_ERR_SOCKET) means the
  // bytes may have left, and a browser's bare "Failed to fetch" carries no code at all.
  const codes = errorCodes(error);
  return codes.length > 0 && codes.every((code) => NOT_DELIVERED_CODES.has(code));
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const codes = errorCodes(error);
  return codes.length > 0 ? `${error.message} (${[...new Set(codes)].join(', ')})` : error.message;
}
