/**
 * The browser game at `/`: the built single-page app (web/dist) as static files, with hashed assets
 * cached for a year (`immutable`), index.html revalidated on every load, and index.html as the answer
 * to any other GET path so the app's own routes (/shop, /battles/…) survive a reload. That fallback
 * never shadows the server's own paths: /api, /docs, /metrics, /healthz, /readyz and /openapi.json
 * keep their 404s. Every page answer carries a CSP that allows this origin only (no inline scripts;
 * the WebSocket to this host), and frame, sniffing and referrer protections. When web/dist is missing
 * a small page says how to build it and links the API docs.
 */
import fastifyStatic from '@fastify/static';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';

/** First path segments the fallback must leave to the API and operations routes (and their 404s). */
const RESERVED = new Set(['api', 'docs', 'metrics', 'healthz', 'readyz', 'openapi.json']);
/** Only plain relative paths reach the file system: no "..", no backslashes, no encoded tricks. */
const SAFE_PATH = /^(?:[\w-][\w.-]*\/)*[\w-][\w.-]*$/;
const HOST = /^[\w.-]+(?::\d{1,5})?$|^\[[\da-f:.]+\](?::\d{1,5})?$/i;
const YEAR_SECONDS = 31_536_000;

/** The page's Content-Security-Policy: its own origin only, and the WebSocket to the same host. */
export function contentSecurityPolicy(host: string | undefined): string {
  const sockets = host !== undefined && HOST.test(host) ? ` ws://${host} wss://${host}` : '';
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self'${sockets}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

function secure(request: FastifyRequest, reply: FastifyReply): void {
  reply
    .header('content-security-policy', contentSecurityPolicy(request.headers.host))
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer')
    .header('x-frame-options', 'DENY')
    .header('cross-origin-opener-policy', 'same-origin');
}

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>MetaGameplay</title></head>
<body><h1>MetaGameplay</h1>
<p>A galaxy game economy. The server is running, but the browser game is not built yet: run
<code>npm run build:web</code> (or <code>npm start</code>, which builds it when missing) and reload this page.</p>
<ul>
<li><a href="/docs">/docs</a> — the API, browsable and callable from the page</li>
<li><a href="/openapi.json">/openapi.json</a> — the same as an OpenAPI document</li>
<li><a href="/readyz">/readyz</a> — is the server ready (database, cache)</li>
</ul>
<p>To play in a terminal: <code>npm run console</code> in the repository.</p>
</body></html>
`;
const NOT_BUILT_CSP = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export const webRoutes: FastifyPluginAsync<{ distDir: string }> = async (app, { distDir }) => {
  const built = existsSync(path.join(distDir, 'index.html'));
  if (built) await app.register(fastifyStatic, { root: distDir, serve: false, index: false });

  const sendIndex = (reply: FastifyReply): FastifyReply => {
    // Revalidated on every load, so a new build's asset names are picked up at once.
    reply.header('cache-control', 'no-cache');
    if (!built) {
      return reply
        .header('content-security-policy', NOT_BUILT_CSP)
        .type('text/html; charset=utf-8')
        .send(NOT_BUILT_PAGE);
    }
    return reply.sendFile('index.html', { cacheControl: false });
  };

  app.get('/', { schema: { hide: true } }, async (request, reply) => {
    secure(request, reply);
    return sendIndex(reply);
  });

  app.get('/*', { schema: { hide: true } }, async (request, reply) => {
    const wanted = (request.params as { '*'?: string })['*'] ?? '';
    const first = wanted.split('/')[0] ?? '';
    if (RESERVED.has(first)) return reply.callNotFound();
    secure(request, reply);
    if (built && wanted.startsWith('assets/')) {
      // Hashed names: the content of a name never changes. A missing asset is a 404, never the page.
      if (!SAFE_PATH.test(wanted)) return reply.callNotFound();
      return reply.sendFile(wanted, { maxAge: YEAR_SECONDS * 1000, immutable: true });
    }
    if (built && SAFE_PATH.test(wanted) && !wanted.includes('/') && wanted.includes('.')) {
      // Top-level files of the build (favicon.svg): short cache, they keep their names.
      if (existsSync(path.join(distDir, wanted))) return reply.sendFile(wanted, { maxAge: 3_600_000 });
      return reply.callNotFound();
    }
    return sendIndex(reply);
  });
};
