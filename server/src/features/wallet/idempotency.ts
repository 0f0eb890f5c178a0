/**
 * Idempotency-Key semantics for money moves (API.md, Conventions). The key row is inserted first, in the
 * same transaction as the work: a concurrent request with the same key blocks on that insert until the
 * first commits, then finds the stored response and replays it, so the work runs at most once. Rule
 * errors (4xx) are stored and replayed too; anything else rolls back and leaves the key unused.
 * `work` must be a single statement (or run its statements in the executor it is given).
 * The stored body is the exact text sent, so a replay is byte-identical.
 */
import { createHash } from 'node:crypto';
import { and, eq, lt, sql } from 'drizzle-orm';
import { type Db, type Executor, pgErrorOf, rowsOf } from '../../db/client';
import { idempotencyKeys } from '../../db/schema';
import { DomainError } from '../../lib/domain-error';

export interface MoneyMoveResponse {
  statusCode: number;
  /** The serialized JSON body. */
  body: string;
  replayed: boolean;
}

export interface IdempotencyScope {
  playerId: string;
  key: string | undefined;
  method: string;
  path: string;
  body: unknown;
}

/** Keys are kept this long (the API promises at least 24 h). */
export const IDEMPOTENCY_RETENTION_HOURS = 48;

export function fingerprintOf(scope: Pick<IdempotencyScope, 'method' | 'path' | 'body'>): string {
  return createHash('sha256')
    .update(`${scope.method.toUpperCase()} ${scope.path}\n${stableStringify(scope.body ?? null)}`)
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

/**
 * Runs a money move at most once per (player, key). `work` returns the success status and body, or
 * throws a DomainError for a broken rule. Without a key the work runs once, in a transaction.
 * A race that the database resolves with a unique violation (23505) is retried from the start.
 */
export async function runMoneyMove(
  db: Db,
  scope: IdempotencyScope,
  work: (tx: Executor) => Promise<{ statusCode: number; body: unknown }>,
): Promise<MoneyMoveResponse> {
  for (let attempt = 1; ; attempt++) {
    try {
      const key = scope.key;
      if (key === undefined) {
        // Every money move is a single atomic statement: no transaction (and its round trips) needed.
        const out = await work(db);
        return { statusCode: out.statusCode, body: JSON.stringify(out.body), replayed: false };
      }
      return await db.transaction((tx) => runOnce(tx, scope, key, work));
    } catch (error) {
      if (attempt < 3 && pgErrorOf(error).code === '23505') continue;
      throw error;
    }
  }
}

async function runOnce(
  tx: Executor,
  scope: IdempotencyScope,
  key: string,
  work: (tx: Executor) => Promise<{ statusCode: number; body: unknown }>,
): Promise<MoneyMoveResponse> {
  const fingerprint = fingerprintOf(scope);
  const claimed = rowsOf(
    await tx.execute(sql`
      INSERT INTO idempotency_keys (player_id, key, fingerprint, status_code, response)
      VALUES (${scope.playerId}, ${key}, ${fingerprint}, 0, '')
      ON CONFLICT DO NOTHING RETURNING 1 AS claimed`),
  );
  if (claimed.length === 0) {
    const [stored] = await tx
      .select({
        fingerprint: idempotencyKeys.fingerprint,
        statusCode: idempotencyKeys.statusCode,
        response: idempotencyKeys.response,
      })
      .from(idempotencyKeys)
      .where(and(eq(idempotencyKeys.playerId, scope.playerId), eq(idempotencyKeys.key, key)));
    if (!stored) throw Object.assign(new Error('idempotency key vanished'), { code: '23505' }); // retried
    if (stored.fingerprint !== fingerprint) {
      throw new DomainError(
        'IDEMPOTENCY_KEY_REUSED',
        'This Idempotency-Key was already used for a different request',
      );
    }
    return { statusCode: stored.statusCode, body: stored.response, replayed: true };
  }
  let out: { statusCode: number; body: string };
  try {
    const done = await work(tx);
    out = { statusCode: done.statusCode, body: JSON.stringify(done.body) };
  } catch (error) {
    if (!(error instanceof DomainError) || error.status >= 500 || error.code === 'RATE_LIMITED') throw error;
    out = { statusCode: error.status, body: JSON.stringify(error.toBody()) };
  }
  await tx
    .update(idempotencyKeys)
    .set({ statusCode: out.statusCode, response: out.body })
    .where(and(eq(idempotencyKeys.playerId, scope.playerId), eq(idempotencyKeys.key, key)));
  return { ...out, replayed: false };
}

export async function deleteExpiredIdempotencyKeys(db: Executor): Promise<void> {
  await db
    .delete(idempotencyKeys)
    .where(
      lt(idempotencyKeys.createdAt, sql`now() - make_interval(hours => ${IDEMPOTENCY_RETENTION_HOURS})`),
    );
}
