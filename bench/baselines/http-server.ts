/**
 * Baseline servers: the least a Node process can do to give the same answer, on plain `node:http`.
 *
 * BASELINE=static  answers every GET with the bytes and headers in BASELINE_BODY_FILE /
 *                  BASELINE_HEADERS (captured from the real server's answer), like the warm shop page.
 * BASELINE=argon2  answers every POST with argon2id.verify(BASELINE_HASH, password from the JSON body):
 *                  the bound on a login, with no database, session or JSON schema work.
 * BASELINE=moves   the least node for the buy + sell cycle: POST /api/v1/shop/items/:id/buy and
 *                  /api/v1/me/items/:id/sell run the server's own statements (its wallet.repository's
 *                  `buy` and `sell`, named prepared, the key's fingerprint by its `fingerprintOf`, on a pg
 *                  pool of the server's size, DATABASE_URL) for the player of the bearer token (sessions
 *                  read once at start) and answer the statement's values as JSON: the node CPU a move
 *                  costs with no framework, validation, Redis, events or logging.
 * GET /healthz answers 200 in every mode.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { verify } from '@node-rs/argon2';
import pg from 'pg';
import type { PreparedStatement } from '../../server/src/db/client';
import { fingerprintOf } from '../../server/src/features/wallet/idempotency';
import { buy, sell } from '../../server/src/features/wallet/wallet.repository';

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

async function movesHandler(): Promise<http.RequestListener> {
  const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 20 });
  // What the server's Database answers to its repositories (db/client.ts), over the same pool.
  const database = {
    query: async <R>(statement: PreparedStatement) =>
      (await pool.query<R & pg.QueryResultRow>(statement)).rows as R[],
  };
  const sessions = new Map<string, string>();
  const { rows } = await pool.query<{ token_hash: string; player_id: string }>(
    'SELECT token_hash, player_id::text AS player_id FROM sessions WHERE expires_at > now()',
  );
  for (const row of rows) sessions.set(row.token_hash, row.player_id);
  const name = process.env.BASELINE_ITEM_NAME ?? 'item';
  const movePath = /^\/api\/v1\/(?:shop\/items\/(\d+)\/buy|me\/items\/(\d+)\/sell)(?:\?|$)/;
  return (request, response) => {
    const route = movePath.exec(request.url ?? '');
    if (request.url === '/healthz' || !route) {
      response.writeHead(request.url === '/healthz' ? 200 : 404).end();
      return;
    }
    // The server echoes it; the load generator pairs each answer with its request by it.
    const requestId = request.headers['x-request-id'] ?? '';
    const token = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1] ?? '';
    const playerId = sessions.get(createHash('sha256').update(token).digest('hex'));
    if (!playerId) {
      response.writeHead(401, { 'x-request-id': requestId }).end();
      return;
    }
    request.resume();
    request.on('end', () => {
      const itemId = Number(route[1] ?? route[2]);
      const path = route[1] !== undefined ? `/shop/items/${itemId}/buy` : `/me/items/${itemId}/sell`;
      const key = request.headers['idempotency-key'];
      const keyArgs =
        typeof key === 'string'
          ? {
              key,
              fingerprint: fingerprintOf({ method: 'POST', path, body: route[1] !== undefined ? {} : null }),
            }
          : { key: null, fingerprint: '' };
      const move =
        route[1] !== undefined
          ? buy(database, { playerId, itemId, expectedPrice: null, sellPercent: 100, name, ...keyArgs })
          : sell(database, { playerId, itemId, sellPercent: 100, name, ...keyArgs });
      move
        .then((row) => {
          const body = JSON.stringify({
            balance: row.o_balance,
            item: { id: itemId, name, price: row.o_price },
          });
          response
            .writeHead(row.o_status ?? 500, {
              'content-type': 'application/json; charset=utf-8',
              'x-request-id': requestId,
            })
            .end(body);
        })
        .catch(() => {
          if (!response.headersSent) response.writeHead(500);
          response.end();
        });
    });
  };
}

const handler =
  mode === 'argon2' ? argon2Handler() : mode === 'moves' ? await movesHandler() : staticHandler();
const server = http.createServer(handler);
server.keepAliveTimeout = 72_000;
server.listen(port, host);
process.on('SIGTERM', () => server.close(() => process.exit(0)));
