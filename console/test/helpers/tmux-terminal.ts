/**
 * Drives a program in a real pseudo-terminal through tmux: its own tmux server (socket), so nothing
 * else is touched; keys in, screen text out, and waiting for text with a timeout instead of sleeping.
 */
import { execFileSync } from 'node:child_process';

export class TmuxTerminal {
  private readonly socket: string;
  private readonly session = 'game';

  constructor(name: string) {
    this.socket = `mg-e2e-${name}-${process.pid}-${Date.now()}`;
  }

  private tmux(...args: string[]): string {
    return execFileSync('tmux', ['-u', '-f', '/dev/null', '-L', this.socket, ...args], { encoding: 'utf8' });
  }

  start(command: string, cwd: string, size = { columns: 120, rows: 40 }): void {
    this.tmux(
      'new-session',
      '-d',
      '-s',
      this.session,
      '-x',
      String(size.columns),
      '-y',
      String(size.rows),
      '-c',
      cwd,
      command,
    );
    // Keep the pane after the program ends, so its last words can be read.
    this.tmux('set-option', '-t', this.session, 'remain-on-exit', 'on');
  }

  screen(): string {
    try {
      return this.tmux('capture-pane', '-p', '-t', this.session);
    } catch {
      return '';
    }
  }

  /**
   * Special keys by tmux name: Enter, Escape, NPage, PPage, Up, Down, BSpace. Several keys go in one
   * write, so the program reads them together, before it can re-render: as from a fast typist. An
   * Escape goes alone: two in one read are Alt+Escape to a terminal program, as for a real typist.
   */
  key(...names: string[]): void {
    let batch: string[] = [];
    const flush = (): void => {
      if (batch.length > 0) this.tmux('send-keys', '-t', this.session, ...batch);
      batch = [];
    };
    for (const name of names) {
      if (name === 'Escape') {
        flush();
        this.tmux('send-keys', '-t', this.session, name);
      } else batch.push(name);
    }
    flush();
  }

  /** Literal text, one key at a time as a person types. */
  async type(text: string): Promise<void> {
    for (const char of text) {
      this.tmux('send-keys', '-t', this.session, '-l', char);
      await new Promise((resolve) => setTimeout(resolve, 15));
    }
  }

  /** Waits until the screen contains `expected` (or matches it); returns the screen. */
  async waitFor(expected: string | RegExp, timeoutMs = 20_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let text = '';
    while (Date.now() < deadline) {
      text = this.screen();
      if (typeof expected === 'string' ? text.includes(expected) : expected.test(text)) return text;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`timed out waiting for ${String(expected)}; the screen was:\n${text}`);
  }

  /** Waits until `unexpected` is gone from the screen. */
  async waitForNo(unexpected: string | RegExp, timeoutMs = 20_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let text = '';
    while (Date.now() < deadline) {
      text = this.screen();
      if (typeof unexpected === 'string' ? !text.includes(unexpected) : !unexpected.test(text)) return text;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`timed out waiting for ${String(unexpected)} to go; the screen was:\n${text}`);
  }

  stop(): void {
    try {
      this.tmux('kill-server');
    } catch {
      // already gone
    }
  }
}
