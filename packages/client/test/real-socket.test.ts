/** The client over a real socket: a tiny node:http server that is unavailable twice, then answers. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, type RetryInfo } from '../src/index';
import { buyResponse } from './fake-server';

interface Seen {
  method: string;
  url: string;
  key: string | undefined;
  contentType: string | undefined;
  body: string;
}

const seen: Seen[] = [];
let server: http.Server;
let baseUrl: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
    });
    req.on('end', () => {
      seen.push({
        method: req.method ?? '',
        url: req.url ?? '',
        key: req.headers['idempotency-key'] as string | undefined,
        contentType: req.headers['content-type'],
        body,
      });
      if (seen.length <= 2) {
        res.writeHead(503, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'SERVICE_UNAVAILABLE', message: 'database down' } }));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(buyResponse));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe('over a real socket', () => {
  it('retries a buy through two 503s with one Idempotency-Key and returns the purchase', async () => {
    const retries: RetryInfo[] = [];
    const client = new ApiClient({
      baseUrl,
      token: 'tok-1',
      retry: { baseDelayMs: 10, maxDelayMs: 50 },
      onRetry: (info) => retries.push(info),
    });
    await expect(client.buy(7)).resolves.toEqual(buyResponse);
    expect(seen).toHaveLength(3);
    expect(seen.every((s) => s.method === 'POST' && s.url === '/api/v1/shop/items/7/buy')).toBe(true);
    expect(new Set(seen.map((s) => s.key)).size).toBe(1);
    expect(seen[0]!.key).toBeTruthy();
    expect(seen.every((s) => s.body === '' && s.contentType === undefined)).toBe(true);
    expect(retries.map((r) => [r.attempt, (r.reason as { status?: number }).status])).toEqual([
      [2, 503],
      [3, 503],
    ]);
  });
});
