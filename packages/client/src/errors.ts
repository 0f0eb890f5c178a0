/**
 * The two ways a call fails, as typed values. `ApiError` means the server (or a proxy in front of it)
 * answered with an error status; callers branch on `code`, never on the message. `NetworkError` means
 * no answer arrived at all, so whether the request took effect is unknown unless `notDelivered` says
 * it certainly never left this machine.
 */
import type { ErrorCode } from '@metagameplay/protocol';

/**
 * An `ErrorCode`, or a code added by a newer server than this client. The `string & {}` keeps editor
 * completion of the known codes, which a bare `| string` would swallow.
 */
export type ApiErrorCode = ErrorCode | (string & {});

export interface ApiErrorOptions {
  details?: unknown;
  retryAfterMs?: number;
}

export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly status: number;
  readonly code: ApiErrorCode;
  readonly details?: unknown;
  /** From the `Retry-After` header (429, 503), in milliseconds. */
  readonly retryAfterMs?: number;

  constructor(status: number, code: ApiErrorCode, message: string, options: ApiErrorOptions = {}) {
    super(message);
    this.status = status;
    this.code = code;
    if (options.details !== undefined) this.details = options.details;
    if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
  }
}

export type NetworkErrorKind = 'timeout' | 'network';

export class NetworkError extends Error {
  override readonly name = 'NetworkError';
  readonly kind: NetworkErrorKind;
  /**
   * True only when the request certainly never reached the server (connection refused, name not
   * resolved, TCP connect timed out). Requests that are not idempotent are retried only then.
   */
  readonly notDelivered: boolean;

  constructor(
    kind: NetworkErrorKind,
    message: string,
    options: { cause?: unknown; notDelivered?: boolean } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.kind = kind;
    this.notDelivered = options.notDelivered ?? false;
  }
}

/** True when `e` is an `ApiError`, and, when `code` is given, one with that code. */
export function isApiError(e: unknown, code?: ErrorCode): e is ApiError {
  return e instanceof ApiError && (code === undefined || e.code === code);
}

export function isNetworkError(e: unknown): e is NetworkError {
  return e instanceof NetworkError;
}
