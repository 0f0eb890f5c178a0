/**
 * Bench databases on the local Postgres: creation, server-side bulk seeding (INSERT … SELECT
 * generate_series), bench sessions, and settling of half-finished buy/sell cycles.
 *
 * Seeded data follows the wallet's invariants: for every player, balance = Σ ledger.amount, the ledger's
 * balance_after is the running sum, and every purchase without a later sale has its inventory row.
 * Seeded player n (1-based) has the id bench_pid(n) = 00000000-0000-4000-8000-<n as 12 hex digits>, so
 * pgbench (which can only draw numbers) addresses the same rows the HTTP side does.
 */
import { createHash, randomBytes } from 'node:crypto';
import pg from 'pg';
import { createPostgresDatabase } from '../../server/src/db/client';
import { auditMoney } from '../../server/src/features/wallet/wallet.audit';

/**
 * The `postgres` database of the server the bench measures on: the bench's own cluster (lib/postgres.ts),
 * set by the harness when it has started it; until then BENCH_DATABASE_URL, else the machine's server.
 */
export let adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export function useAdminUrl(url: string): void {
  adminUrl = url;
}

/** Ledger rows per seeded player (1,000,000 players → 10,000,000 rows). */
export const LEDGER_ROWS_PER_PLAYER = 10;
/** Granted to every seeded player: 1,000,000 credits, far more than any cycle needs. */
const GRANT = 100_000_000;
const BONUS = 1_500;

export function databaseUrl(name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function databaseExists(name: string): Promise<boolean> {
  return withClient(adminUrl, async (c) => {
    const r = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    return r.rowCount === 1;
  });
}

/** Drops (if present) and creates a bench database. Only mg_bench_* names are accepted. */
export async function recreateDatabase(name: string): Promise<string> {
  if (!/^mg_bench_[a-z0-9_]+$/.test(name)) throw new Error(`refusing to recreate database ${name}`);
  await withClient(adminUrl, async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${name}`);
  });
  return databaseUrl(name);
}

export interface CatalogPick {
  /** The item every cycle buys and sells (the cheapest; no seeded player owns it). */
  cycleItem: { id: number; price: number };
  /** Items each seeded player bought and kept (inventory rows). */
  owned: { id: number; price: number }[];
  /** Items each seeded player bought and sold again (ledger history only). */
  traded: { id: number; price: number }[];
}

export async function pickCatalog(url: string): Promise<CatalogPick> {
  return withClient(url, async (c) => {
    const rows = (
      await c.query<{ id: number; price: string }>(
        'SELECT id, price FROM items WHERE active ORDER BY price, id',
      )
    ).rows;
    const items = rows.map((r) => ({ id: r.id, price: Number(r.price) }));
    if (items.length < 6) throw new Error('the catalog needs at least 6 items for the bench data set');
    return { cycleItem: items[0]!, owned: items.slice(1, 3), traded: items.slice(3, 6) };
  });
}

export interface SeedResult {
  players: number;
  ledgerRows: number;
  seconds: number;
}

/**
 * Seeds `players` players with LEDGER_ROWS_PER_PLAYER ledger rows each (bonus, grant, three buy+sell
 * pairs, two buys kept) and their inventory, in batches. The schema (migrations) and catalog must exist:
 * start the server on the database once before. Foreign-key triggers are skipped during the load
 * (session_replication_role = replica): the rows reference each other correctly by construction.
 */
export async function seedPlayers(
  url: string,
  players: number,
  onProgress?: (done: number) => void,
  /** Spread the ledger's rows over this many days before now, in time order (the economy's set); 0: all now. */
  spreadDays = 0,
): Promise<SeedResult> {
  const started = performance.now();
  const pick = await pickCatalog(url);
  const [a, b, c] = pick.traded as [
    CatalogPick['traded'][0],
    CatalogPick['traded'][0],
    CatalogPick['traded'][0],
  ];
  const [d, e] = pick.owned as [CatalogPick['owned'][0], CatalogPick['owned'][0]];
  const start = BONUS + GRANT;
  // (k, type, amount, balance_after, item_id): the same ten rows for every player, in order.
  const rows: [number, string, number, number, number | null][] = [
    [1, 'login_bonus', BONUS, BONUS, null],
    [2, 'admin_grant', GRANT, start, null],
    [3, 'purchase', -a.price, start - a.price, a.id],
    [4, 'sale', a.price, start, a.id],
    [5, 'purchase', -b.price, start - b.price, b.id],
    [6, 'sale', b.price, start, b.id],
    [7, 'purchase', -c.price, start - c.price, c.id],
    [8, 'sale', c.price, start, c.id],
    [9, 'purchase', -d.price, start - d.price, d.id],
    [10, 'purchase', -e.price, start - d.price - e.price, e.id],
  ];
  const finalBalance = start - d.price - e.price;
  const values = rows
    .map(
      ([k, type, amount, after, item]) =>
        `(${k}, '${type}', ${amount}::bigint, ${after}::bigint, ${item ?? 'NULL'}::int)`,
    )
    .join(',\n');
  await withClient(url, async (client) => {
    await client.query(`CREATE OR REPLACE FUNCTION bench_pid(n bigint) RETURNS uuid
      LANGUAGE sql IMMUTABLE PARALLEL SAFE
      AS $$ SELECT ('00000000-0000-4000-8000-' || lpad(to_hex(n), 12, '0'))::uuid $$`);
    await client.query('SET synchronous_commit = off');
    await client.query('SET session_replication_role = replica');
    // The seeded players' password is unknown to everyone: the hash is not a valid argon2 string.
    const batch = 50_000;
    for (let from = 1; from <= players; from += batch) {
      const to = Math.min(players, from + batch - 1);
      await client.query('BEGIN');
      await client.query(
        `INSERT INTO players (id, nickname, nickname_key, password_hash, balance, last_bonus_at, created_at, updated_at)
         SELECT bench_pid(n), 'bench_' || lpad(n::text, 8, '0'), 'bench_' || lpad(n::text, 8, '0'),
                'seeded-no-login', ${finalBalance}, now(), now(), now()
         FROM generate_series($1::bigint, $2::bigint) AS n`,
        [from, to],
      );
      await client.query(
        `INSERT INTO ledger (player_id, type, amount, balance_after, item_id, created_at)
         SELECT bench_pid(n), t.type, t.amount, t.after, t.item,
                now() - make_interval(secs => ($3::bigint - n) * $4::double precision)
                      - make_interval(mins => 10 - t.k)
         FROM generate_series($1::bigint, $2::bigint) AS n
         CROSS JOIN (VALUES ${values}) AS t(k, type, amount, after, item)
         ORDER BY n, t.k`,
        [from, to, players, (spreadDays * 86_400) / players],
      );
      await client.query(
        `INSERT INTO inventory (player_id, item_id)
         SELECT bench_pid(n), i FROM generate_series($1::bigint, $2::bigint) AS n
         CROSS JOIN (VALUES (${d.id}), (${e.id})) AS owned(i)`,
        [from, to],
      );
      await client.query('COMMIT');
      onProgress?.(to);
    }
    await client.query(`CREATE TABLE IF NOT EXISTS bench_dataset (
      players bigint NOT NULL, ledger_rows bigint NOT NULL, load_seconds double precision NOT NULL,
      loaded_at timestamptz NOT NULL DEFAULT now())`);
    await client.query('VACUUM ANALYZE');
  });
  const seconds = (performance.now() - started) / 1000;
  const ledgerRows = players * LEDGER_ROWS_PER_PLAYER;
  await withClient(url, (client) =>
    client.query('INSERT INTO bench_dataset (players, ledger_rows, load_seconds) VALUES ($1, $2, $3)', [
      players,
      ledgerRows,
      seconds,
    ]),
  );
  return { players, ledgerRows, seconds };
}

/** The data set a database was seeded with, if it was (and seeding finished). */
export async function seededDataset(url: string): Promise<SeedResult | null> {
  try {
    return await withClient(url, async (c) => {
      const r = await c.query<{ players: string; ledger_rows: string; load_seconds: number }>(
        'SELECT players, ledger_rows, load_seconds FROM bench_dataset ORDER BY loaded_at DESC LIMIT 1',
      );
      const row = r.rows[0];
      return row
        ? { players: Number(row.players), ledgerRows: Number(row.ledger_rows), seconds: row.load_seconds }
        : null;
    });
  } catch {
    return null;
  }
}

export interface BenchPlayer {
  n: number;
  id: string;
  token: string;
}

/**
 * Opens one session for each of the seeded players `ns` (1-based numbers) and returns their bearer
 * tokens. Sessions are stored as the server stores them: SHA-256 of a random 256-bit token.
 */
export async function openSessions(url: string, ns: number[]): Promise<BenchPlayer[]> {
  const tokens = ns.map(() => randomBytes(32).toString('base64url'));
  const hashes = tokens.map((t) => createHash('sha256').update(t).digest('hex'));
  const ids = await withClient(url, async (c) => {
    const r = await c.query<{ id: string }>(
      `INSERT INTO sessions (token_hash, player_id, expires_at)
       SELECT h, bench_pid(n), now() + interval '1 day'
       FROM unnest($1::text[], $2::bigint[]) WITH ORDINALITY AS s(h, n, o)
       ORDER BY o
       RETURNING player_id::text AS id`,
      [hashes, ns],
    );
    return r.rows.map((row) => row.id);
  });
  return ns.map((n, i) => ({ n, id: ids[i]!, token: tokens[i]! }));
}

/** Evenly spread sample of `count` player numbers out of 1..players. */
export function spreadSample(players: number, count: number): number[] {
  const k = Math.min(players, count);
  const step = players / k;
  return Array.from({ length: k }, (_, i) => Math.floor(i * step) + 1);
}

/**
 * Waits until `read` answers the same twice, `everyMs` apart (at most 10 s): the moves a server finishes
 * after its load generator stopped have landed.
 */
async function untilUnchanged(read: () => Promise<string | undefined>, everyMs: number): Promise<void> {
  for (let last = await read(), waited = 0; waited < 10_000; waited += everyMs) {
    await new Promise((resolve) => setTimeout(resolve, everyMs));
    const now = await read();
    if (now === last) return;
    last = now;
  }
}

/**
 * Finishes cycles a timed run cut between the buy and the sale: sells the cycle item back for every
 * bench player that still owns it, through the same statement shape as the wallet (ledger row included),
 * so every run starts from the same state.
 */
export async function settleCycles(url: string, itemId: number): Promise<number> {
  return withClient(url, async (c) => {
    // A stopped load generator closes its connections, but the server still finishes the moves it had
    // started: wait until no ledger row is added for a while, or a buy that commits after the settling
    // leaves its item owned and the next run's first buy of it is refused.
    const last = async () =>
      (await c.query<{ n: string }>('SELECT max(id)::text AS n FROM ledger')).rows[0]?.n;
    await untilUnchanged(last, 200);
    const r = await c.query(
      `WITH removed AS (
         DELETE FROM inventory WHERE item_id = $1 RETURNING player_id
       ), credit AS (
         UPDATE players p SET balance = p.balance + i.price, updated_at = now()
         FROM removed, items i WHERE p.id = removed.player_id AND i.id = $1
         RETURNING p.id, p.balance, i.price
       )
       INSERT INTO ledger (player_id, type, amount, balance_after, item_id)
       SELECT id, 'sale', price, balance, $1 FROM credit`,
      [itemId],
    );
    return r.rowCount ?? 0;
  });
}

/** Σ ledger = balance for every player (the harness checks it after the write scenarios). */
export async function ledgerMismatches(url: string): Promise<number> {
  return withClient(url, async (c) => {
    const r = await c.query<{ n: string }>(
      `SELECT count(*) AS n FROM players p
       LEFT JOIN (SELECT player_id, sum(amount) AS s FROM ledger GROUP BY player_id) l ON l.player_id = p.id
       WHERE p.balance <> COALESCE(l.s, 0)`,
    );
    return Number(r.rows[0]?.n ?? 0);
  });
}

/** Highest ledger id: its growth over a run counts the money moves that really happened. */
export async function ledgerMaxId(url: string): Promise<number> {
  return withClient(url, async (c) => {
    const r = await c.query<{ n: string }>('SELECT COALESCE(max(id), 0) AS n FROM ledger');
    return Number(r.rows[0]?.n ?? 0);
  });
}

/**
 * Cancels the challenges a timed run left pending (a challenge answered as wrk or pgbench stopped),
 * through the server's own function, so the stake goes back with its ledger row and the next run's
 * challenge to the same opponent is not refused. Returns how many it cancelled.
 */
export async function settleBattles(url: string): Promise<number> {
  return withClient(url, async (c) => {
    // A stopped load generator closes its connections, but the server still finishes the moves it had
    // started: wait until no battle row changes for a while, or a challenge that commits after the
    // cancel stays pending and its pair's next challenge is refused (409) for the whole next run.
    const state = async () =>
      (await c.query<{ s: string }>("SELECT count(*) || '/' || count(resolved_at) AS s FROM battles")).rows[0]
        ?.s;
    await untilUnchanged(state, 300);
    const r = await c.query(
      `SELECT e.o_status FROM battles b,
         LATERAL mg_battle_end(b.id, b.challenger_id, 'cancel', NULL, '') e
       WHERE b.status = 'pending'`,
    );
    return r.rowCount ?? 0;
  });
}

/** Resolved battles so far: its growth over a run counts the battles that really happened. */
export async function resolvedBattles(url: string): Promise<number> {
  return withClient(url, async (c) => {
    const r = await c.query<{ n: string }>("SELECT count(*) AS n FROM battles WHERE status = 'resolved'");
    return Number(r.rows[0]?.n ?? 0);
  });
}

/** All the money there is: Σ balances + Σ stakes held by pending battles (constant under battles). */
export async function moneyTotal(url: string): Promise<bigint> {
  return withClient(url, async (c) => {
    const r = await c.query<{ n: string }>(
      `SELECT ((SELECT COALESCE(sum(balance), 0) FROM players)
             + (SELECT COALESCE(sum(stake), 0) FROM battles WHERE status = 'pending'))::text AS n`,
    );
    return BigInt(r.rows[0]?.n ?? '0');
  });
}

/**
 * The server's own money audit (`npm run admin -- audit`, features/wallet/wallet.audit.ts): balance =
 * Σ ledger and the balance_after chain per player, inventory = trades, escrow = Σ pending stakes, nothing
 * out of bounds. Returns its findings, one line each (empty: every invariant holds).
 */
export async function moneyAudit(url: string): Promise<string[]> {
  const database = createPostgresDatabase(url, { poolSize: 1 });
  try {
    return (await auditMoney(database)).map((f) => `${f.check}: ${f.row}: ${f.detail}`);
  } finally {
    await database.close();
  }
}

/** Sets synchronous_commit on a bench database: new connections (both sides) take it. */
export async function setSynchronousCommit(database: string, value: 'on' | 'off'): Promise<void> {
  await withClient(databaseUrl('postgres'), (c) =>
    c.query(`ALTER DATABASE ${database} SET synchronous_commit = ${value === 'on' ? 'on' : 'off'}`),
  );
}
