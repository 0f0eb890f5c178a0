/**
 * The browser game at `/`: static files with the right caching, the SPA fallback that never shadows
 * the API or the operations routes, the page's security headers, and the page shown when the game is
 * not built. Served by the real app (a tiny stand-in build in a temp folder).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentSecurityPolicy, webRoutes } from '../src/features/web/web.routes';
import { startServer, type TestServer } from './helpers/server';

const INDEX =
  '<!doctype html><html><head><script type="module" src="/assets/app-3f9a.js"></script></head><body><div id="root"></div></body></html>';

describe('the web app at /', () => {
  const dist = mkdtempSync(path.join(tmpdir(), 'mg-web-test-'));
  let server: TestServer;

  beforeAll(async () => {
    mkdirSync(path.join(dist, 'assets'));
    writeFileSync(path.join(dist, 'index.html'), INDEX);
    writeFileSync(path.join(dist, 'assets', 'app-3f9a.js'), 'console.log("game")');
    writeFileSync(path.join(dist, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    server = await startServer('embedded', { WEB_DIST_DIR: dist });
  });
  afterAll(async () => {
    await server?.close();
    rmSync(dist, { recursive: true, force: true });
  });

  const get = (p: string) => fetch(`${server.url}${p}`);

  it('serves index.html at / and at every screen path, revalidated each time, with the security headers', async () => {
    for (const p of ['/', '/shop', '/battles/0b7c1d2e-1111-2222-3333-444455556666', '/no/such/screen']) {
      const res = await get(p);
      expect(res.status, p).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await res.text()).toBe(INDEX);
      expect(res.headers.get('cache-control')).toBe('no-cache');
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toMatch(/connect-src 'self' ws:\/\/127\.0\.0\.1:\d+ wss:\/\/127\.0\.0\.1:\d+/);
      expect(csp).not.toContain('unsafe-inline');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    }
  });

  it('serves hashed assets for a year, immutable; a missing asset is a 404, never the page', async () => {
    const asset = await get('/assets/app-3f9a.js');
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const missing = await get('/assets/app-0000.js');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toMatch(/json/);
    const favicon = await get('/favicon.svg');
    expect(favicon.status).toBe(200);
    expect(favicon.headers.get('content-type')).toMatch(/svg/);
  });

  it('never shadows the API, the docs, the metrics or the probes', async () => {
    const unknownApi = await get('/api/v1/no-such-route');
    expect(unknownApi.status).toBe(404);
    expect(await unknownApi.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
    expect((await get('/api')).status).toBe(404);
    expect((await get('/metrics/extra')).status).toBe(404);
    expect((await get('/healthz/x')).status).toBe(404);
    expect(await (await get('/healthz')).json()).toEqual({ status: 'ok' });
    expect((await get('/readyz')).headers.get('content-type')).toMatch(/json/);
    expect((await get('/metrics')).headers.get('content-type')).toMatch(/text\/plain/);
    expect((await get('/openapi.json')).headers.get('content-type')).toMatch(/json/);
    const docs = await get('/docs');
    expect(docs.status).toBe(200);
    expect(await docs.text()).not.toBe(INDEX);
  });

  it('never reads outside the build', async () => {
    for (const p of [
      '/assets/..%2f..%2fpackage.json',
      '/assets/%2e%2e/index.html',
      '/..%2f..%2fpackage.json',
    ]) {
      const res = await get(p);
      const body = await res.text();
      expect(body, p).not.toContain('"workspaces"');
      expect([200, 403, 404]).toContain(res.status);
    }
  });
});

describe('the web app not built yet', () => {
  it('answers / with a page saying how to build it, and still 404s the API', async () => {
    const app = Fastify();
    app.get('/api/v1/x', async () => ({ ok: true }));
    await app.register(webRoutes, { distDir: path.join(tmpdir(), 'mg-no-such-dist') });
    const page = await app.inject({ method: 'GET', url: '/lobby' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('npm run build:web');
    expect(page.body).toContain('/docs');
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect((await app.inject({ method: 'GET', url: '/api/v1/y' })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/api/v1/x' })).json()).toEqual({ ok: true });
    await app.close();
  });

  it('puts only a well-formed host into the CSP', () => {
    expect(contentSecurityPolicy('game.example:8080')).toContain('ws://game.example:8080');
    expect(contentSecurityPolicy("evil; script-src 'unsafe-inline'")).not.toContain('evil');
    expect(contentSecurityPolicy(undefined)).toContain("connect-src 'self';");
  });
});
