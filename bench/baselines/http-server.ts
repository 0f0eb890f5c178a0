/**
 * Baseline servers: the least a Node process can do to give the same answer, on plain `node:http`.
 *
 * BASELINE=static  answers every GET with the bytes and headers in BASELINE_BODY_FILE /
 *                  BASELINE_HEADERS (captured from the real server's answer), like the warm shop page.
 * BASELINE=argon2  answers every POST with argon2id.verify(BASELINE_HASH, password from the JSON body):
 *                  the bound on a login, with no database, session or JSON schema work.
 * GET /healthz answers 200 in both modes.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { verify } from '@node-rs/argon2';

const mode = process.env.BASELINE ?? 'static';
const port = Number(process.env.PORT ?? 0);
const host = process.env.HOST ?? '127.0.0.1';

function staticHandler(): http.RequestListener {
  const body = readFileSync(process.env.BASELINE_BODY_FILE ?? '');
  const headers = JSON.parse(process.env.BASELINE_HEADERS ?? '{}') as Record<string, string>;
  headers['content-length'] = String(body.length);
  return (request, response) => {
    if (request.url === '/healthz') {
      response.writeHead(200).end();
      return;
    }
    response.writeHead(200, headers).end(body);
  };
}

function argon2Handler(): http.RequestListener {
  const hash = process.env.BASELINE_HASH ?? '';
  return (request, response) => {
    if (request.url === '/healthz') {
      response.writeHead(200).end();
      return;
    }
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const { password } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { password: string };
      verify(hash, password).then(
        (ok) => {
          const body = JSON.stringify({ ok });
          response.writeHead(ok ? 200 : 401, { 'content-type': 'application/json; charset=utf-8' }).end(body);
        },
        () => response.writeHead(500).end(),
      );
    });
  };
}

const server = http.createServer(mode === 'argon2' ? argon2Handler() : staticHandler());
server.keepAliveTimeout = 72_000;
server.listen(port, host);
process.on('SIGTERM', () => server.close(() => process.exit(0)));
