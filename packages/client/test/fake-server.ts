/**
 * Test doubles for the client: a scripted `fetch` that records what was sent and answers from a
 * list, and a `sleep` that records the waits instead of waiting, so retry timing is asserted exactly.
 */
import { ApiClient, type ApiClientOptions, type RetryInfo } from '../src/index';

export interface SentRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
}

/** An answer: a Response, an error to reject with, or a function of the request. */
export type Answer =
  | Response
  | Error
  | ((request: SentRequest, signal: AbortSignal | undefined) => Promise<Response>);

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

export function apiError(
  status: number,
  code: string,
  message = code,
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
) {
  return json(status, { error: { code, message, ...extra } }, headers);
}

export function empty(status: number): Response {
  return new Response(null, { status });
}

/** What Node's fetch rejects with when nothing listens on the port. */
export function connectionRefused(): TypeError {
  const cause = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
  return new TypeError('fetch failed', { cause });
}

/** A connection dropped after the request may have been sent. */
export function connectionReset(): TypeError {
  const cause = Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' });
  return new TypeError('fetch failed', { cause });
}

export function scriptedFetch(answers: Answer[]) {
  const requests: SentRequest[] = [];
  const fake = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const headers: Record<string, string> = {};
    new Headers(init?.headers).forEach((value, name) => {
      headers[name] = value;
    });
    const request: SentRequest = {
      url: input instanceof Request ? input.url : input instanceof URL ? input.href : input,
      method: init?.method ?? 'GET',
      headers,
      body: typeof init?.body === 'string' ? init.body : undefined,
    };
    requests.push(request);
    const answer = answers.shift();
    if (answer === undefined) throw new Error(`unexpected request ${request.method} ${request.url}`);
    if (answer instanceof Error) throw answer;
    if (answer instanceof Response) return answer;
    return answer(request, init?.signal ?? undefined);
  };
  return { fetch: fake, requests };
}

export function testClient(answers: Answer[], options: Partial<ApiClientOptions> = {}) {
  const { fetch, requests } = scriptedFetch(answers);
  const sleeps: number[] = [];
  const retries: RetryInfo[] = [];
  let keyCount = 0;
  const client = new ApiClient({
    baseUrl: 'http://game.test',
    fetch,
    sleep: (ms) => {
      sleeps.push(ms);
      return Promise.resolve();
    },
    random: () => 0.5,
    onRetry: (info) => retries.push(info),
    newIdempotencyKey: () => `key-${++keyCount}`,
    ...options,
  });
  return { client, requests, sleeps, retries };
}

/** Settles with the rejection, failing the test if the promise resolves. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

export const privatePlayer = {
  id: '6f1c2d1e-8d0b-4f3a-9d55-0e2b9a3c7f10',
  nickname: 'vega',
  role: 'player',
  balance: 1500,
  power: 0,
  rating: 1000,
  wins: 0,
  losses: 0,
  itemCount: 0,
  createdAt: '2026-11-29T12:00:00.000Z',
} as const;

export const session = {
  token: 'tok-1',
  expiresAt: '2026-11-30T12:00:00.000Z',
  player: privatePlayer,
  loginBonus: 1500,
};

export const ownedItem = {
  id: 7,
  name: 'Ion Cannon',
  price: 5099,
  sellPrice: 5099,
  power: 12,
  acquiredAt: '2026-11-29T12:01:00.000Z',
};

export const buyResponse = { balance: 100, item: ownedItem, transactionId: '42' };
