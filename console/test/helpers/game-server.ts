/**
 * Runs the real game server (server/src/main.ts) as a child process for end-to-end tests: a free
 * port, an embedded database in a temp dir, a generated catalog; can be killed and started again on
 * the same port and data to play an outage.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../../..');
export const TSX = path.join(ROOT, 'node_modules/.bin/tsx');

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** `count` items named "Galaxy item 001".., item n costing n × 1.01 credits, with power n % 50. */
export function writeCatalog(dir: string, count: number): string {
  const items = Array.from({ length: count }, (_, i) => ({
    name: `Galaxy item ${String(i + 1).padStart(3, '0')}`,
    price: Number(((i + 1) * 1.01).toFixed(2)),
    power: (i + 1) % 50,
  }));
  const file = path.join(dir, 'items.json');
  writeFileSync(file, JSON.stringify(items));
  return file;
}

export class GameServer {
  readonly url: string;
  readonly dataDir: string;
  private child: ChildProcess | null = null;
  log = '';
  /** More environment for the server (e.g. WEB_DIST_DIR for the browser game's e2e). */
  env: Record<string, string> = {};

  constructor(
    readonly port: number,
    readonly workDir: string,
    readonly itemsFile: string,
  ) {
    this.dataDir = path.join(workDir, 'data');
    this.url = `http://127.0.0.1:${port}`;
  }

  /** A server with fresh data and catalog, on `port` or a free one. */
  static async create(itemCount: number, port?: number): Promise<GameServer> {
    const work = mkdtempSync(path.join(tmpdir(), 'mg-console-e2e-'));
    return new GameServer(port ?? (await freePort()), work, writeCatalog(work, itemCount));
  }

  async start(timeoutMs = 90_000): Promise<void> {
    // Its own process group, so killing it takes tsx's child node process down too.
    this.child = spawn(TSX, ['server/src/main.ts'], {
      cwd: ROOT,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        PORT: String(this.port),
        HOST: '127.0.0.1',
        DATA_DIR: this.dataDir,
        ITEMS_FILE: this.itemsFile,
        RATE_LIMIT_MAX: '0',
        AUTH_RATE_LIMIT_MAX: '0',
        LOG_LEVEL: 'warn',
        ...this.env,
      },
    });
    const collect = (chunk: Buffer): void => {
      this.log = (this.log + chunk.toString()).slice(-20_000);
    };
    this.child.stdout?.on('data', collect);
    this.child.stderr?.on('data', collect);
    const child = this.child;
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`server exited (code ${child.exitCode}, signal ${child.signalCode}):\n${this.log}`);
      }
      try {
        const res = await fetch(`${this.url}/healthz`);
        if (res.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`server did not become healthy in ${timeoutMs} ms:\n${this.log}`);
  }

  /** Kills the whole process group and waits until it is gone. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child?.pid || child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    try {
      process.kill(-child.pid, signal);
    } catch {
      return;
    }
    await exited;
  }

  /** Kills the server and removes its database and catalog. */
  async dispose(): Promise<void> {
    await this.kill();
    await this.stopPostgres();
    rmSync(this.workDir, { recursive: true, force: true });
  }

  /**
   * The embedded Postgres runs in its own process group and outlives a killed server (the next start on
   * the same DATA_DIR stops it); a disposed server takes it down here.
   */
  private async stopPostgres(): Promise<void> {
    let pid: number;
    try {
      pid = Number(
        readFileSync(path.join(this.dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0],
      );
    } catch {
      return;
    }
    const alive = () => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    if (!pid || !alive()) return;
    process.kill(pid, 'SIGQUIT');
    for (let i = 0; i < 100 && alive(); i++) await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
