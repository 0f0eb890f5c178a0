/**
 * Runs once before all tests: when TEST_DATABASE_URL is set, checks that Postgres answers, so a missing
 * server fails the run with one clear line instead of many timeouts. Each test file then creates (and
 * drops) its own fresh database there; see helpers/server.ts.
 */
import pg from 'pg';

export default async function setup(): Promise<void> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) return;
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    throw new Error(`TEST_DATABASE_URL is set but Postgres does not answer: ${(error as Error).message}`);
  } finally {
    await client.end().catch(() => undefined);
  }
}
