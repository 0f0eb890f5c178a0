/**
 * Idempotency-Key semantics of money moves (API.md, Conventions), used only by the wallet. A key is
 * claimed in the transaction of the move it guards (mg_claim_key, drizzle/0004_wallet_moves.sql): a
 * concurrent request with the same key blocks until the first commits, then replays its stored answer;
 * rule errors are stored and replayed too; anything else rolls back and leaves the key unused. The same
 * key with a different request (fingerprint: method, path and body) is refused.
 */
import { createHash } from 'node:crypto';

export interface MoneyMoveResponse {
  statusCode: number;
  /** The serialized JSON body. */
  body: string;
  replayed: boolean;
  /** The balance a successful move left (read from the answer once, for the `balance` event). */
  balance?: number;
}

/** The request a key was used for; the wallet builds it from the move, as the HTTP request reads. */
export interface MoveRequest {
  method: 'POST';
  path: string;
  body: unknown;
}

export function fingerprintOf(request: MoveRequest): string {
  return createHash('sha256')
    .update(`${request.method} ${request.path}\n${stableStringify(request.body ?? null)}`)
    .digest('hex');
}

function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
      a < b ? -1 : a > b ? 1 : 0,
    );
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
