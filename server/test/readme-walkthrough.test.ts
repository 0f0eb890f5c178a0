// The README's "Play with curl" block, run as written with bash against a fresh server, twice in a row:
// the first run registers the pilot, the second logs her in; both must end with a purchase, a sale and a
// logout, and nothing may read "undefined" or be refused for want of a token.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, startServer, type TestServer } from './helpers/server';

const run = promisify(execFile);

function walkthrough(): string {
  const readme = readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8');
  const block = /<!-- walkthrough:start -->\s*```bash\n([\s\S]*?)```\s*<!-- walkthrough:end -->/.exec(readme);
  if (!block?.[1]) throw new Error('README.md has no walkthrough block between its markers');
  return block[1];
}

describe.each(backends)('README walkthrough (%s)', (backend) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer(backend);
  });
  afterAll(async () => {
    await server.close();
  });

  it('runs top to bottom, twice in a row', async () => {
    const script = walkthrough().replaceAll('http://127.0.0.1:8080', server.url);
    expect(script).not.toBe(walkthrough());
    for (const round of [1, 2]) {
      const { stdout, stderr } = await run('bash', ['-c', script], { timeout: 60_000 });
      const output = `${stdout}\n${stderr}`;
      expect(stderr, `round ${round}`).toBe('');
      expect(output).not.toMatch(/undefined|UNAUTHENTICATED|INSUFFICIENT_FUNDS|error/i);
      const lines = stdout.trim().split('\n');
      // catalog, profile, buy, inventory, sale, ledger, logout status
      expect(lines).toHaveLength(7);
      const [catalog, profile, buy, inventory, sale, ledger, logout] = lines.map((line, i) =>
        i === 6 ? line : (JSON.parse(line) as Record<string, unknown>),
      );
      expect(catalog).toMatchObject({ items: expect.any(Array) });
      expect(profile).toMatchObject({ nickname: 'Ripley' });
      expect(buy).toMatchObject({ item: { id: 3 }, transactionId: expect.any(String) });
      expect(inventory).toMatchObject({ items: [{ id: 3 }] });
      expect(sale).toMatchObject({ item: { id: 3 }, amount: 5099 });
      expect(ledger).toMatchObject({
        transactions: [{ type: 'sale' }, { type: 'purchase' }, { type: 'login_bonus' }, expect.anything()],
      });
      expect(logout).toBe('204');
    }
  });
});
