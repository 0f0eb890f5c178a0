/**
 * The API document other teams and engines build on: `/openapi.json` as served must lint clean with
 * Redocly's recommended rules (zero errors), name its shared schemas as components, describe every
 * operation, and generate a TypeScript client (openapi-typescript) whose calls type-check (openapi-fetch).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ErrorCode } from '@metagameplay/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repositoryRoot } from '../src/config';
import { call } from './helpers/http';
import { backends, startServer, type TestServer } from './helpers/server';

const run = promisify(execFile);
const bin = (name: string) => path.join(repositoryRoot, 'node_modules', '.bin', name);
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

interface Operation {
  operationId?: string;
  summary?: string;
  description?: string;
  security?: unknown[];
  responses: Record<string, { description: string; content?: Record<string, { schema: unknown }> }>;
  parameters?: { in: string }[];
}

describe('the OpenAPI document', () => {
  let server: TestServer;
  let document: {
    servers?: unknown[];
    paths: Record<string, Record<string, Operation>>;
    components: { schemas: Record<string, { properties?: Record<string, any> }> };
  };
  let dir: string;
  let file: string;
  const operations: [string, Operation][] = [];

  beforeAll(async () => {
    server = await startServer(backends[0]!);
    const answer = await call(server, 'GET', '/openapi.json');
    expect(answer.status).toBe(200);
    document = answer.body;
    for (const [url, item] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        if (METHODS.includes(method)) operations.push([`${method.toUpperCase()} ${url}`, operation]);
      }
    }
    dir = await mkdtemp(path.join(tmpdir(), 'openapi-'));
    file = path.join(dir, 'openapi.json');
    await writeFile(file, answer.text);
  });
  afterAll(async () => {
    await server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('lints with zero errors under Redocly recommended', async () => {
    const lint = await run(bin('redocly'), ['lint', file, '--format=json'], {
      cwd: dir,
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
      maxBuffer: 16 * 1024 * 1024,
    }).catch((error: { stdout?: string; stderr?: string }) => ({
      stdout: error.stdout ?? '',
      stderr: error.stderr ?? '',
    }));
    const start = lint.stdout.indexOf('{');
    expect(start, lint.stderr).toBeGreaterThanOrEqual(0);
    const report = JSON.parse(lint.stdout.slice(start)) as {
      totals: { errors: number; warnings: number };
      problems: { ruleId: string; severity: string; message: string; location: { pointer: string }[] }[];
    };
    const errors = report.problems
      .filter((problem) => problem.severity === 'error')
      .map((problem) => `${problem.ruleId}: ${problem.message} at ${problem.location[0]?.pointer}`);
    expect(errors).toEqual([]);
    expect(report.totals.errors).toBe(0);
  }, 180_000);

  it('names the shared schemas as components, the error codes as an enum', () => {
    const names = Object.keys(document.components.schemas);
    for (const name of ['Error', 'Player', 'PublicPlayer', 'Item', 'OwnedItem', 'Transaction', 'Session']) {
      expect(names).toContain(name);
    }
    const code = document.components.schemas.Error?.properties?.error?.properties?.code;
    expect([...code.enum].sort()).toEqual(Object.values(ErrorCode).sort());
    // The error body is one component, not copied into every operation.
    const text = JSON.stringify(document.paths);
    expect(text).not.toContain('"Every error response"');
    expect(text.split('#/components/schemas/Error"').length - 1).toBeGreaterThan(40);
  });

  it('describes every operation: operationId, summary, description, security, responses and a 4xx', () => {
    expect(document.servers?.length).toBeGreaterThan(0);
    const ids = new Set<string>();
    for (const [name, operation] of operations) {
      expect(operation.operationId, name).toMatch(/^[a-z][A-Za-z]+$/);
      expect(ids.has(operation.operationId!), `${name}: operationId ${operation.operationId} twice`).toBe(
        false,
      );
      ids.add(operation.operationId!);
      expect(operation.summary, name).toBeTruthy();
      expect(operation.description, name).toBeTruthy();
      expect(Array.isArray(operation.security), `${name}: security (use [] for a public route)`).toBe(true);
      const statuses = Object.keys(operation.responses);
      expect(
        statuses.some((status) => status.startsWith('4')),
        `${name}: a 4xx`,
      ).toBe(true);
      for (const [status, response] of Object.entries(operation.responses)) {
        expect(response.description, `${name} ${status}`).not.toBe('Default Response');
      }
      if (operation.parameters?.some((parameter) => parameter.in === 'path')) {
        expect(statuses, `${name}: a path parameter over 100 characters is a 414`).toContain('414');
      }
      // Any request may stall (408), carry too many header bytes (431), or meet a node shutting down (503).
      expect(statuses, name).toEqual(expect.arrayContaining(['408', '431', '503']));
      if (!name.startsWith('GET ')) {
        // Routes without a body refuse one: malformed or unexpected (400), too large (413), not JSON (415).
        expect(statuses, `${name}: a body is read, if only to refuse it`).toEqual(
          expect.arrayContaining(['400', '413', '415']),
        );
      }
    }
    const grant = operations.find(([name]) => name === 'POST /api/v1/admin/players/{id}/credits')?.[1];
    expect(Object.keys(grant?.responses ?? {})).toContain('409');
    // Quick match refuses a player with no open WebSocket: a 409 the document names by its code.
    const quickMatch = operations.find(([name]) => name === 'POST /api/v1/matchmaking')?.[1];
    expect(quickMatch?.responses['409']?.description).toContain('`PLAYER_OFFLINE`');
    expect(quickMatch?.responses['409']?.content?.['application/json']?.schema).toEqual({
      $ref: '#/components/schemas/Error',
    });
  });

  it('generates a TypeScript client (openapi-typescript) whose calls type-check with openapi-fetch', async () => {
    const types = path.join(dir, 'api.d.ts');
    await run(bin('openapi-typescript'), [file, '-o', types], { cwd: dir });
    await writeFile(
      path.join(dir, 'call.ts'),
      `import createClient from 'openapi-fetch';
import type { components, paths } from './api';

const client = createClient<paths>({ baseUrl: 'http://127.0.0.1:8080' });
type ErrorCode = components['schemas']['Error']['error']['code'];

export async function buyHelmet(token: string): Promise<number | ErrorCode> {
  const { data, error } = await client.POST('/api/v1/shop/items/{id}/buy', {
    params: { path: { id: 3 }, header: { 'idempotency-key': 'first-buy' } },
    headers: { authorization: \`Bearer \${token}\` },
    body: { expectedPrice: 5099 },
  });
  if (error) return error.error.code;
  const item: components['schemas']['OwnedItem'] = data.item;
  return data.balance + item.sellPrice;
}

export async function firstPage(): Promise<string[]> {
  const { data } = await client.GET('/api/v1/shop/items', { params: { query: { limit: 5 } } });
  return (data?.items ?? []).map((item: components['schemas']['Item']) => item.name);
}

export function wrong(): void {
  // @ts-expect-error an item id is a number
  void client.GET('/api/v1/shop/items/{id}', { params: { path: { id: 'helmet' } } });
  // @ts-expect-error a price is an integer of minor units, not text
  void client.POST('/api/v1/shop/items/{id}/buy', { params: { path: { id: 3 } }, body: { expectedPrice: '50.99' } });
}
`,
    );
    await writeFile(
      path.join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          noEmit: true,
          target: 'ES2022',
          module: 'ESNext',
          moduleResolution: 'Bundler',
          skipLibCheck: true,
          lib: ['ES2022', 'DOM'],
          baseUrl: '.',
          paths: { 'openapi-fetch': [path.join(repositoryRoot, 'node_modules', 'openapi-fetch')] },
        },
        files: ['call.ts'],
      }),
    );
    const checked = await run(bin('tsc'), ['-p', path.join(dir, 'tsconfig.json')], { cwd: dir }).catch(
      (error: { stdout?: string }) => ({ stdout: `FAILED\n${error.stdout ?? ''}` }),
    );
    expect(checked.stdout).toBe('');
  }, 300_000);
});
