/** Which database errors are an outage (503 with Retry-After) and which are a query's own failure. */
import { describe, expect, it } from 'vitest';
import { isDatabaseUnavailable } from '../src/db/client';

describe('isDatabaseUnavailable', () => {
  it('counts a standby reached after a failover (25006), a lost or refused connection and a shutdown as outages', () => {
    for (const code of ['25006', 'ECONNRESET', 'ECONNREFUSED', '57P01', '08006', '53300']) {
      expect(isDatabaseUnavailable(Object.assign(new Error('x'), { code })), code).toBe(true);
    }
    // Wrapped, as Drizzle hands them on.
    expect(isDatabaseUnavailable(new Error('query failed', { cause: { code: '25006' } }))).toBe(true);
  });

  it('does not count a rule the query broke', () => {
    for (const code of ['23505', '23514', '40P01', 'P0002']) {
      expect(isDatabaseUnavailable(Object.assign(new Error('x'), { code })), code).toBe(false);
    }
  });
});
