/**
 * What the hostile-input suite (server/test/hostile-input/*.test.ts) shares: its servers and players, and
 * the one assertion every refusal must pass. The suite sends what an honest client never does — wrong
 * types, unknown and missing fields, out-of-range values, malformed and oversized bodies, foreign content
 * types, bad cursors, ids and headers, bad tokens, Idempotency-Key misuse, text that is not text, broken
 * HTTP, floods of attempts — and asserts for each the exact status and error code, the documented body
 * `{error: {code, message, details?}}` (details naming the field for validation errors), never a stack
 * trace, and that nothing it asked for happened.
 */
import { expect } from 'vitest';
import { type Answer, books, call, api, fund, makeAdmin, register, type TestPlayer } from '../helpers/http';
import type { RawAnswer } from '../helpers/raw-http';
import { type Backend, startServer, type TestServer } from '../helpers/server';

export const JSON_TYPE = { 'content-type': 'application/json' };
export const NO_PLAYER = '00000000-0000-4000-8000-000000000000';
export const HELMET = 3; // "Боевой шлем", 50.99 credits
export const HELMET_PRICE = 5099;

/** Stack frames, source paths and stack properties: none may ever reach a client. */
const LEAK =
  /\n\s*at |\bat [^\s]+ \(|:\d+:\d+\)|node_modules|\/work\/|\/src\/|\.ts:\d|\.js:\d|"stack"|statusCode/;

/** Exactly `{error: {code, message, details?}}` as JSON with `status` and `code`, and the nosniff header. */
export function expectError(answer: Answer | RawAnswer, status: number, code: string): void {
  expect(answer.status, answer.text).toBe(status);
  const headers = answer.headers;
  const get = (name: string) => (headers instanceof Headers ? headers.get(name) : (headers[name] ?? null));
  expect(get('content-type')).toMatch(/^application\/json/);
  expect(get('x-content-type-options')).toBe('nosniff');
  const body = answer.body as { error: Record<string, unknown> };
  expect(body).toBeTypeOf('object');
  expect(Object.keys(body)).toEqual(['error']);
  expect(Object.keys(body.error).filter((k) => !['code', 'message', 'details'].includes(k))).toEqual([]);
  expect(body.error.code).toBe(code);
  expect(body.error.message).toBeTypeOf('string');
  expect((body.error.message as string).length).toBeGreaterThan(0);
  expect(answer.text).not.toMatch(LEAK);
}

/** A 400 VALIDATION_ERROR whose details name `field` (e.g. 'body/price', 'querystring/limit'). */
export function expectInvalid(answer: Answer, field: string): void {
  expectError(answer, 400, 'VALIDATION_ERROR');
  const details = answer.body.error.details as { field: string; message: string }[];
  expect(Array.isArray(details), answer.text).toBe(true);
  expect(details.map((d) => d.field)).toContain(field);
  for (const detail of details) expect(detail.message).toBeTypeOf('string');
}

export type Actor = 'none' | 'pilot' | 'boss';

export interface HostileServer {
  server: TestServer;
  /** Owns the helmet and has money: any request that slips through shows in its books. */
  pilot: TestPlayer;
  boss: TestPlayer;
  pilotBooks: Awaited<ReturnType<typeof books>>;
  tokenOf(actor: Actor): string | undefined;
  /** A path with `{pilot}` replaced by the pilot's id. */
  fill(path: string): string;
}

/** A server on a fresh database, with a funded pilot who owns the helmet and an admin. */
export async function openHostileServer(
  backend: Backend,
  env: Record<string, string> = {},
): Promise<HostileServer> {
  const server = await startServer(backend, env);
  const pilot = await register(server);
  await fund(server, pilot.player.id, 1_000_000);
  const bought = await call(server, 'POST', api(`/shop/items/${HELMET}/buy`), { token: pilot.token });
  expect(bought.status).toBe(200);
  const boss = await register(server);
  await makeAdmin(server, boss.player.id);
  return {
    server,
    pilot,
    boss,
    pilotBooks: await books(server, pilot.player.id),
    tokenOf: (actor) => (actor === 'pilot' ? pilot.token : actor === 'boss' ? boss.token : undefined),
    fill: (path) => path.replace('{pilot}', pilot.player.id),
  };
}

/** The pilot's books are as they were after setup, and balanced: nothing refused moved money. */
export async function expectBooksUntouched(hostile: HostileServer): Promise<void> {
  const now = await books(hostile.server, hostile.pilot.player.id);
  expect(now).toEqual(hostile.pilotBooks);
  expect(now.balance).toBe(now.ledgerSum);
}
