/**
 * A database outage: Postgres is reached through a TCP proxy the test can cut. While it is cut, every
 * request that needs the database gets 503 SERVICE_UNAVAILABLE (the error body, a Retry-After, no stack),
 * /readyz says the database is down and /healthz stays up; no money moves. When the proxy is back, the
 * server recovers by itself and the books are whole.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, books, call, fund, register } from './helpers/http';
import { createTestDatabase, sharedBackend, startServer, type TestServer } from './helpers/server';

class CuttableProxy {
  private server: net.Server | null = null;
  private readonly sockets = new Set<net.Socket>();
  port = 0;

  /** A TCP address, or the path of a Unix socket (the embedded Postgres listens on one). */
  constructor(private readonly target: { host: string; port: number } | { path: string }) {}

  async open(): Promise<void> {
    if (this.server) return;
    this.server = net.createServer((client) => {
      const upstream = net.connect(this.target);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => socket.destroy());
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(this.port, '127.0.0.1', resolve);
    });
    this.port = (this.server.address() as net.AddressInfo).port;
  }

  async cut(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = null;
  }
}

describe('database outage (Postgres behind a cuttable proxy)', () => {
  let server: TestServer;
  let proxy: CuttableProxy;
  let dropDatabase: () => Promise<void>;

  beforeAll(async () => {
    const database = await createTestDatabase();
    dropDatabase = database.drop;
    const url = new URL(database.url);
    // The embedded Postgres names its socket's directory in ?host=: the proxy listens on TCP in front of it.
    const socketDir = url.searchParams.get('host');
    proxy = new CuttableProxy(
      socketDir?.startsWith('/')
        ? { path: `${socketDir}/.s.PGSQL.${url.port || 5432}` }
        : { host: url.hostname, port: Number(url.port || 5432) },
    );
    url.searchParams.delete('host');
    await proxy.open();
    url.host = `127.0.0.1:${proxy.port}`;
    server = await startServer(sharedBackend, {}, { databaseUrl: url.toString() });
  });
  afterAll(async () => {
    await server?.close();
    await dropDatabase?.();
  });

  it('answers 503 while the database is unreachable and recovers by itself', async () => {
    const pilot = await register(server);
    await fund(server, pilot.player.id, 100_000);
    expect((await call(server, 'POST', api('/shop/items/3/buy'), { token: pilot.token })).status).toBe(200);
    const before = await books(server, pilot.player.id);

    await proxy.cut();
    for (const [method, path, body] of [
      ['GET', api('/me/balance'), undefined],
      ['GET', api('/me/transactions'), undefined],
      ['POST', api('/shop/items/4/buy'), undefined],
      ['POST', api('/me/items/3/sell'), undefined],
      ['POST', api('/auth/login'), { nickname: pilot.nickname, password: pilot.password }],
    ] as const) {
      const answer = await call(server, method, path, { token: pilot.token, body });
      expect(answer.status, `${method} ${path}: ${answer.text}`).toBe(503);
      expect(answer.body).toEqual({ error: { code: 'SERVICE_UNAVAILABLE', message: expect.any(String) } });
      expect(answer.headers.get('retry-after')).toBeTruthy();
      expect(answer.text).not.toMatch(/\bat .+:\d+/);
    }
    const ready = await call(server, 'GET', '/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body.database).toBe('down');
    expect((await call(server, 'GET', '/healthz')).status).toBe(200);

    await proxy.open(); // the same port: the server's configuration does not change
    let recovered = await call(server, 'GET', '/readyz');
    for (let i = 0; i < 50 && recovered.status !== 200; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      recovered = await call(server, 'GET', '/readyz');
    }
    expect(recovered.body).toEqual({ database: 'ok', redis: 'off' });
    const balance = await call(server, 'GET', api('/me/balance'), { token: pilot.token });
    expect(balance.status).toBe(200);
    expect(balance.body.balance).toBe(before.balance); // nothing moved during the outage
    expect((await call(server, 'POST', api('/shop/items/4/buy'), { token: pilot.token })).status).toBe(200);
    const after = await books(server, pilot.player.id);
    expect(after.balance).toBe(after.ledgerSum);
    expect(after.items).toEqual([3, 4]);
  });
});
