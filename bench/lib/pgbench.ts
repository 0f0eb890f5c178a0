/**
 * The database-only baseline: pgbench running the very statements the server sends for one buy and
 * one sale. The SQL is not copied by hand: it is captured from the server's own `buy` and `sell`
 * functions (server/src/features/wallet/wallet.repository.ts), and the bound parameters are replaced by
 * pgbench variables. So the baseline follows any change to them.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Database, PreparedStatement } from '../../server/src/db/client';
import { battleAccept, battleChallenge } from '../../server/src/features/battles/battles.repository';
import { buy, sell } from '../../server/src/features/wallet/wallet.repository';
import { adminUrl } from './db';
import { DEFAULT_BATTLE_BASE_STRENGTH } from '../../packages/protocol/src/fairness';
import { percentile } from './stats';

export const pgbenchPath = process.env.PGBENCH ?? '/usr/lib/postgresql/15/bin/pgbench';

const PLAYER = '00000000-0000-4000-8000-0000deadbeef';
const ITEM = 987_654;
const BUY_KEY = 'pgb-buy';
const SELL_KEY = 'pgb-sell';
const FINGERPRINT = '0'.repeat(64);
/** The item's name the server passes (it keeps the names; the statement only stores one under a key). */
const NAME = 'Bench item';

/** Renders one repository call into SQL text whose parameters are pgbench expressions. */
async function capture(
  call: (db: Database) => Promise<unknown>,
  bind: (value: unknown) => string,
): Promise<string> {
  let text = '';
  const fake = {
    query(statement: PreparedStatement) {
      text = statement.text.replace(/\$(\d+)/g, (_, i: string) => bind(statement.values[Number(i) - 1]));
      // The smallest row the callers accept; only the text matters here.
      return Promise.resolve([{ o_kind: 'done', o_status: 200, o_outcome: '{}' }]);
    },
  } as unknown as Database;
  await call(fake);
  return text.replace(/\s+/g, ' ').trim();
}

function binder(percent: number) {
  return (value: unknown): string => {
    if (value === PLAYER) return 'bench_pid(:pid)';
    if (value === ITEM) return ':item';
    if (value === null) return 'NULL';
    if (value === '') return "''";
    if (value === percent) return String(percent);
    if (value === BUY_KEY || value === SELL_KEY) return `'${value}-' || :key`;
    if (value === FINGERPRINT) return `'${FINGERPRINT}'`;
    if (value === NAME) return `'${NAME}'`;
    throw new Error(`unexpected parameter in the wallet SQL: ${JSON.stringify(value)}`);
  };
}

export interface CycleScriptOptions {
  sellPercent: number;
  /** Wrap each money move in the Idempotency-Key transaction the server runs when a key is sent. */
  idempotent: boolean;
}

/**
 * One pgbench transaction script = one cycle: the buy statement, then the sale statement, for a player
 * drawn from this client's own slice of the seeded players (as each HTTP connection has its own players).
 * Each statement runs alone (auto-commit), exactly as the server sends it; with idempotency it carries a
 * fresh key, which the wallet function claims and stores inside the same statement.
 */
export async function cycleScript(options: CycleScriptOptions): Promise<string> {
  const bind = binder(options.sellPercent);
  const keyed = (key: string) =>
    options.idempotent ? { key, fingerprint: FINGERPRINT } : { key: null, fingerprint: '' };
  const buyText = await capture(
    (db) =>
      buy(db, {
        playerId: PLAYER,
        itemId: ITEM,
        expectedPrice: null,
        sellPercent: options.sellPercent,
        name: NAME,
        ...keyed(BUY_KEY),
      }),
    bind,
  );
  const sellText = await capture(
    (db) =>
      sell(db, {
        playerId: PLAYER,
        itemId: ITEM,
        sellPercent: options.sellPercent,
        name: NAME,
        ...keyed(SELL_KEY),
      }),
    bind,
  );
  return [
    '\\set pid 1 + :client_id + :clients * random(0, :per - 1)',
    ...(options.idempotent ? ['\\set key random(1, 1000000000000000)'] : []),
    `${buyText};`,
    `${sellText};`,
    '',
  ].join('\n');
}

const CHALLENGER = '00000000-0000-4000-8000-00000000c4a1';
const OPPONENT = '00000000-0000-4000-8000-00000000099e';
const BATTLE = '00000000-0000-4000-8000-00000000ba77';
const SERVER_SEED = 'f'.repeat(64);
const CHALLENGER_SEED = 'c'.repeat(32);
const OPPONENT_SEED = 'e'.repeat(32);
const TTL_SECONDS = 60_001;
const MAX_PENDING = 5_001;
/** The battle's base strength, as the server passes BATTLE_BASE_STRENGTH (its default). */
const BASE_STRENGTH = DEFAULT_BATTLE_BASE_STRENGTH;
const CHALLENGE_KEY = 'pgb-challenge';
const ACCEPT_KEY = 'pgb-accept';

export interface BattleScriptOptions {
  /** The stake of every battle (the HTTP side sends the same). */
  stake: number;
  /** Challenge TTL and the pending-challenge limit, as the server passes them (config, battles service). */
  ttlSeconds: number;
  maxPending: number;
  /** Carry a fresh Idempotency-Key on each move, which the wallet function claims and stores. */
  idempotent: boolean;
}

/**
 * One pgbench transaction script = one battle: the server's own challenge and accept statements
 * (mg_battle_challenge, mg_battle_accept), captured from wallet.repository.ts, each alone (auto-commit) as
 * the server sends it, with the same argument shape: two random client seeds of 32 hex digits (constants
 * here: they are only hashed), a fresh 32-byte server seed (the server draws it in Node; here
 * gen_random_uuid() twice, hex), the opponent online (the server asks Redis first), the configured TTL and
 * pending limit. The accept takes the battle id from the challenge's answer (`\gset`). Each client plays
 * its own pairs: pair k is players 2k−1 (challenger) and 2k (opponent), as on the HTTP side.
 */
export async function battleScript(options: BattleScriptOptions): Promise<string> {
  if (new Set([options.stake, TTL_SECONDS, MAX_PENDING, BASE_STRENGTH]).size !== 4) {
    throw new Error('ambiguous stake');
  }
  const keyed = (key: string) =>
    options.idempotent ? { key, fingerprint: FINGERPRINT } : { key: null, fingerprint: '' };
  const bind = (value: unknown): string => {
    if (value === CHALLENGER) return 'bench_pid(:a)';
    if (value === OPPONENT) return 'bench_pid(:b)';
    if (value === BATTLE) return "(:o_battle::json ->> 'id')::uuid";
    if (value === options.stake) return String(options.stake);
    if (value === SERVER_SEED) {
      return "replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', '')";
    }
    if (value === CHALLENGER_SEED || value === OPPONENT_SEED) return `'${value}'`;
    if (value === true) return 'true';
    if (value === TTL_SECONDS) return String(options.ttlSeconds);
    if (value === MAX_PENDING) return String(options.maxPending);
    if (value === BASE_STRENGTH) return String(BASE_STRENGTH);
    if (value === null) return 'NULL';
    if (value === '') return "''";
    if (value === CHALLENGE_KEY || value === ACCEPT_KEY) return `'${value}-' || :key`;
    if (value === FINGERPRINT) return `'${FINGERPRINT}'`;
    throw new Error(`unexpected parameter in the battle SQL: ${JSON.stringify(value)}`);
  };
  const challenge = await capture(
    (db) =>
      battleChallenge(db, {
        challengerId: CHALLENGER,
        opponentId: OPPONENT,
        stake: options.stake,
        clientSeed: CHALLENGER_SEED,
        seed: SERVER_SEED,
        opponentOnline: true,
        ttlSeconds: TTL_SECONDS,
        maxPending: MAX_PENDING,
        baseStrength: BASE_STRENGTH,
        ...keyed(CHALLENGE_KEY),
      }),
    bind,
  );
  const accept = await capture(
    (db) =>
      battleAccept(db, {
        battleId: BATTLE,
        playerId: OPPONENT,
        clientSeed: OPPONENT_SEED,
        ...keyed(ACCEPT_KEY),
      }),
    bind,
  );
  return [
    '\\set pair 1 + :client_id + :clients * random(0, :per - 1)',
    '\\set a 2 * :pair - 1',
    '\\set b 2 * :pair',
    ...(options.idempotent ? ['\\set key random(1, 1000000000000000)'] : []),
    `${challenge} \\gset`,
    `${accept};`,
    '',
  ].join('\n');
}

/**
 * The battle's reference: the least SQL that does a battle's work, one transaction per move, run with
 * `-M prepared`. Challenge: the challenger's stake debited (funds checked in the UPDATE), the battle row,
 * its ledger row. Accept: the battle row locked, the opponent's stake debited with its ledger row, both
 * powers read, the winner paid both stakes with wins and rating, the loser's losses and rating, the payout's
 * ledger row, the battle resolved. The outcome is not computed (the challenger wins, rating ±16): the
 * server's statement computes it (HMAC, Elo) as part of its work, which is what the ratio weighs.
 */
export function leastSqlBattleScript(stake: number): string {
  const a = 'bench_pid(:a)';
  const b = 'bench_pid(:b)';
  const seed = 'f'.repeat(64);
  return [
    '\\set pair 1 + :client_id + :clients * random(0, :per - 1)',
    '\\set a 2 * :pair - 1',
    '\\set b 2 * :pair',
    'BEGIN;',
    `UPDATE players SET balance = balance - ${stake} WHERE id = ${a} AND balance >= ${stake} RETURNING balance AS bal \\gset`,
    'INSERT INTO battles (challenger_id, opponent_id, stake, seed, seed_hash, challenger_client_seed, expires_at) ' +
      `VALUES (${a}, ${b}, ${stake}, '${seed}', '${seed}', '${'c'.repeat(32)}', now() + interval '60 seconds') RETURNING id AS bid \\gset`,
    `INSERT INTO ledger (player_id, type, amount, balance_after, battle_id) VALUES (${a}, 'battle_stake', -${stake}, :bal, :bid::uuid);`,
    'COMMIT;',
    'BEGIN;',
    "SELECT stake FROM battles WHERE id = :bid::uuid AND status = 'pending' FOR UPDATE;",
    `UPDATE players SET balance = balance - ${stake} WHERE id = ${b} AND balance >= ${stake} RETURNING balance AS obal \\gset`,
    `INSERT INTO ledger (player_id, type, amount, balance_after, battle_id) VALUES (${b}, 'battle_stake', -${stake}, :obal, :bid::uuid);`,
    'SELECT v.player_id, sum(i.power) FROM inventory v JOIN items i ON i.id = v.item_id ' +
      `WHERE v.player_id IN (${a}, ${b}) GROUP BY v.player_id;`,
    `UPDATE players SET balance = balance + ${2 * stake}, rating = rating + 16, wins = wins + 1 WHERE id = ${a} RETURNING balance AS wbal \\gset`,
    `UPDATE players SET rating = rating - 16, losses = losses + 1 WHERE id = ${b};`,
    `INSERT INTO ledger (player_id, type, amount, balance_after, battle_id) VALUES (${a}, 'battle_payout', ${2 * stake}, :wbal, :bid::uuid);`,
    `UPDATE battles SET status = 'resolved', winner_id = ${a}, challenger_power = 0, opponent_power = 0, ` +
      `rating_change = 16, opponent_client_seed = '${'e'.repeat(32)}', resolved_at = now() WHERE id = :bid::uuid;`,
    'COMMIT;',
    '',
  ].join('\n');
}

/**
 * The cycle's reference: the least SQL that does the same work, one transaction per move (BEGIN;
 * inventory insert/delete; conditional balance update; ledger insert; COMMIT), run with `-M prepared`.
 * The balance update's RETURNING feeds the ledger row's balance_after (`\gset`), as one server would.
 */
export function leastSqlCycleScript(): string {
  const pid = 'bench_pid(:pid)';
  return [
    '\\set pid 1 + :client_id + :clients * random(0, :per - 1)',
    '\\set cost -1 * :price',
    'BEGIN;',
    `INSERT INTO inventory (player_id, item_id) VALUES (${pid}, :item);`,
    `UPDATE players SET balance = balance - :price WHERE id = ${pid} AND balance >= :price RETURNING balance AS bal \\gset`,
    `INSERT INTO ledger (player_id, type, amount, balance_after, item_id) VALUES (${pid}, 'purchase', :cost, :bal, :item);`,
    'COMMIT;',
    'BEGIN;',
    `DELETE FROM inventory WHERE player_id = ${pid} AND item_id = :item;`,
    `UPDATE players SET balance = balance + :price WHERE id = ${pid} RETURNING balance AS bal \\gset`,
    `INSERT INTO ledger (player_id, type, amount, balance_after, item_id) VALUES (${pid}, 'sale', :price, :bal, :item);`,
    'COMMIT;',
    '',
  ].join('\n');
}

export interface PgbenchResult {
  /** Script executions (cycles) per second, excluding connection time. */
  tps: number;
  /** Latency of one script execution (one cycle), ms. */
  p50: number;
  p99: number;
  transactions: number;
  failed: number;
  output: string;
}

export interface PgbenchOptions {
  database: string;
  script: string;
  clients: number;
  durationS: number;
  /** Seeded players available (1..players); each client gets players/clients of them. */
  players: number;
  item: number;
  /** The cycle item's price (the least-SQL script needs it). */
  price?: number;
  /** Query protocol: `prepared` (named statements, parsed once per connection) or `extended` (default). */
  mode?: 'prepared' | 'extended';
}

export async function runPgbench(options: PgbenchOptions): Promise<PgbenchResult> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mg-pgbench-'));
  try {
    const scriptFile = path.join(dir, 'cycle.sql');
    await writeFile(scriptFile, options.script);
    const url = new URL(adminUrl);
    const per = Math.max(1, Math.floor(options.players / options.clients));
    const args = [
      '-n',
      '-M',
      options.mode ?? 'extended',
      '-h',
      url.hostname,
      '-p',
      url.port || '5432',
      '-U',
      decodeURIComponent(url.username || 'postgres'),
      '-c',
      String(options.clients),
      '-j',
      '1',
      '-T',
      String(options.durationS),
      '-D',
      `clients=${options.clients}`,
      '-D',
      `per=${per}`,
      '-D',
      `item=${options.item}`,
      '-D',
      `price=${options.price ?? 0}`,
      '-f',
      scriptFile,
      '-l',
      `--log-prefix=${path.join(dir, 'log')}`,
      options.database,
    ];
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn(pgbenchPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.on('error', reject);
      child.on('close', (code) =>
        code === 0 ? resolve(out) : reject(new Error(`pgbench exited ${code}:\n${out}`)),
      );
    });
    // No "tps" line when no transaction finished (e.g. connecting took the whole run on a busy machine).
    const tps = Number(/tps = ([\d.]+) \(without initial connection time\)/.exec(output)?.[1] ?? 0);
    const transactions = Number(/number of transactions actually processed: (\d+)/.exec(output)?.[1] ?? 0);
    const failed = Number(/number of failed transactions: (\d+)/.exec(output)?.[1] ?? 0);
    // Per-transaction log lines: client_id transaction_no time_us script_no epoch epoch_us.
    const latencies: number[] = [];
    for (const file of await readdir(dir)) {
      if (!file.startsWith('log')) continue;
      for (const line of (await readFile(path.join(dir, file), 'utf8')).split('\n')) {
        const us = Number(line.split(' ')[2]);
        if (Number.isFinite(us) && line) latencies.push(us / 1000);
      }
    }
    latencies.sort((x, y) => x - y);
    return {
      tps,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      transactions,
      failed,
      output,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
