/** Forcing races deterministically: a side connection holds row locks while requests queue behind them. */
import pg from 'pg';
import type { TestServer } from './server';

/** A side connection to the server's database, to hold row locks while requests queue behind them. */
export async function sideConnection(server: TestServer): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: server.databaseUrl ?? '' });
  await client.connect();
  return client;
}

/** Waits until `count` backends of this database wait on a lock (the requests have queued). */
export async function waitForLockWaiters(side: pg.Client, count: number): Promise<void> {
  for (let i = 0; i < 400; i++) {
    // Activity statistics are a snapshot per transaction: the side connection may be inside one.
    await side.query('SELECT pg_stat_clear_snapshot()');
    const { rows } = await side.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity
       WHERE datname = current_database() AND wait_event_type = 'Lock'`,
    );
    if ((rows[0]?.n ?? 0) >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  const { rows } = await side.query(
    'SELECT state, wait_event_type, wait_event, left(query, 80) AS q FROM pg_stat_activity WHERE datname = current_database()',
  );
  throw new Error(`never saw ${count} requests waiting on a lock: ${JSON.stringify(rows)}`);
}
