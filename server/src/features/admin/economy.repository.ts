/**
 * The economy's figures for the console (API.md "The operator's console"), from the ledger alone. Days
 * are UTC. A day that ended over CLOSED_AFTER ago is summed once into ledger_days (per type: rows and
 * amount); later days are summed from the ledger on each read. Both reads of the ledger find a day's rows
 * through the BRIN index on created_at, so their cost is the day's rows, not the table's.
 */
import { LEDGER_TYPES, type LedgerType } from '@metagameplay/protocol';
import { sql } from 'drizzle-orm';
import { type Executor, rowsOf } from '../../db/client';

/**
 * How long after its end a day is summed for good. Money moves are single short statements whose rows
 * carry their transaction's start, so no row of a day can still commit an hour after the day's end.
 */
const CLOSED_AFTER_MS = 3_600_000;
const DAY_MS = 86_400_000;

export interface DayFlows {
  day: string;
  flows: Partial<Record<LedgerType, { count: number; amount: number }>>;
}

export function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function dayStart(day: string): number {
  return Date.parse(`${day}T00:00:00.000Z`);
}

/** The last day that is closed at `now`: its end is CLOSED_AFTER_MS or more in the past. */
export function lastClosedDay(now: number): string {
  return dayOf(now - CLOSED_AFTER_MS - DAY_MS);
}

/** The day of the ledger's first row (by id: the ledger is appended in time order), or null when empty. */
async function firstLedgerDay(db: Executor): Promise<string | null> {
  const rows = rowsOf<{ created_at: string | Date }>(
    await db.execute(sql`SELECT created_at FROM ledger ORDER BY id LIMIT 1`),
  );
  const first = rows[0];
  return first ? dayOf(new Date(first.created_at).getTime()) : null;
}

/**
 * Sums every closed day not summed yet into ledger_days (one statement a day; a row per ledger type, 0s
 * included, so a day without money moves is known as summed). Nodes racing here write the same sums;
 * the first wins. Returns how many days were summed.
 */
export async function rollUpClosedDays(db: Executor, now: number, maxDays = 400): Promise<number> {
  const first = await firstLedgerDay(db);
  if (!first) return 0;
  const last = lastClosedDay(now);
  if (first > last) return 0;
  const done = rowsOf<{ day: string }>(
    await db.execute(sql`SELECT DISTINCT day FROM ledger_days WHERE day >= ${first} AND day <= ${last}`),
  );
  const summed = new Set(done.map((row) => row.day));
  let days = 0;
  for (let at = dayStart(first); at <= dayStart(last) && days < maxDays; at += DAY_MS) {
    const day = dayOf(at);
    if (summed.has(day)) continue;
    const from = new Date(at).toISOString();
    const to = new Date(at + DAY_MS).toISOString();
    await db.execute(sql`
      WITH sums AS (
        SELECT type, count(*) AS entries, sum(amount) AS amount
        FROM ledger
        WHERE created_at >= ${from}::timestamptz AND created_at < ${to}::timestamptz
        GROUP BY type
      )
      INSERT INTO ledger_days (day, type, entries, amount)
      SELECT ${day}, t.type, COALESCE(s.entries, 0), COALESCE(s.amount, 0)
      FROM unnest(${`{${LEDGER_TYPES.join(',')}}`}::text[]) AS t(type)
      LEFT JOIN sums s ON s.type = t.type
      ON CONFLICT DO NOTHING
    `);
    days += 1;
  }
  return days;
}

function addFlow(days: Map<string, DayFlows>, day: string, type: LedgerType, count: number, amount: number) {
  let entry = days.get(day);
  if (!entry) {
    entry = { day, flows: {} };
    days.set(day, entry);
  }
  if (count === 0 && amount === 0) return;
  const flow = entry.flows[type] ?? { count: 0, amount: 0 };
  flow.count += count;
  flow.amount += amount;
  entry.flows[type] = flow;
}

/**
 * Every day's flows from the ledger's first day on (summed days from ledger_days, the rest from the
 * ledger), in day order. Call rollUpClosedDays first for the summed part to be complete.
 */
export async function dailyFlows(db: Executor, now: number): Promise<DayFlows[]> {
  const days = new Map<string, DayFlows>();
  const summed = rowsOf<{ day: string; type: LedgerType; entries: string | number; amount: string | number }>(
    await db.execute(sql`SELECT day, type, entries, amount FROM ledger_days ORDER BY day`),
  );
  let lastSummed = '';
  for (const row of summed) {
    addFlow(days, row.day, row.type, Number(row.entries), Number(row.amount));
    if (row.day > lastSummed) lastSummed = row.day;
  }
  const openFrom = lastSummed === '' ? null : new Date(dayStart(lastSummed) + DAY_MS).toISOString();
  const open = rowsOf<{ day: string; type: LedgerType; entries: string | number; amount: string | number }>(
    await db.execute(sql`
      SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, type,
             count(*) AS entries, sum(amount) AS amount
      FROM ledger
      WHERE ${openFrom === null ? sql`true` : sql`created_at >= ${openFrom}::timestamptz`}
      GROUP BY 1, 2
    `),
  );
  for (const row of open) addFlow(days, row.day, row.type, Number(row.entries), Number(row.amount));
  addFlow(days, dayOf(now), 'login_bonus', 0, 0);
  return [...days.values()].sort((a, b) => (a.day < b.day ? -1 : 1));
}

/** Σ stakes held by pending battles (each holds its challenger's stake until accepted or refunded). */
export async function escrowNow(db: Executor): Promise<number> {
  const rows = rowsOf<{ escrow: string | number }>(
    await db.execute(sql`SELECT COALESCE(SUM(stake), 0) AS escrow FROM battles WHERE status = 'pending'`),
  );
  return Number(rows[0]?.escrow ?? 0);
}

export async function topHolders(
  db: Executor,
  limit: number,
): Promise<{ id: string; nickname: string; balance: number }[]> {
  const rows = rowsOf<{ id: string; nickname: string; balance: string | number }>(
    await db.execute(sql`
      SELECT id, nickname, balance FROM players
      WHERE deleted_at IS NULL
      ORDER BY balance DESC, id
      LIMIT ${limit}
    `),
  );
  return rows.map((row) => ({ id: row.id, nickname: row.nickname, balance: Number(row.balance) }));
}
