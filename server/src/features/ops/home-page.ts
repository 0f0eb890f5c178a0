/**
 * `/`: a small page that says what this server is and where its API is described. The browser game
 * (features/web) serves `/` now and shows this page only while web/dist is not built, so `homePage`
 * registers no route of its own (registering it stays harmless).
 */
import type { FastifyPluginAsync } from 'fastify';

export const HOME_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>MetaGameplay</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; padding: 0 1rem; color: #222; }
  code { background: #f2f2f2; padding: 0 .25em; border-radius: 3px; }
</style>
</head>
<body>
<h1>MetaGameplay</h1>
<p>A galaxy game economy: pilots log in, earn credits at every login, buy ships and gear, and sell them back.</p>
<p>This is the game server. Its API lives under <code>/api/v1</code>:</p>
<ul>
  <li><a href="/docs">/docs</a> — the API, browsable and callable from the page</li>
  <li><a href="/openapi.json">/openapi.json</a> — the same as an OpenAPI document, for generating clients</li>
  <li><a href="/readyz">/readyz</a> — is the server ready (database, cache)</li>
</ul>
<p>To play in a terminal: <code>npm run console</code> in the repository.</p>
</body>
</html>
`;

export const homePage: FastifyPluginAsync = async () => {
  // `/` belongs to the web app's routes (features/web/web.routes.ts), which fall back to HOME_PAGE.
};
