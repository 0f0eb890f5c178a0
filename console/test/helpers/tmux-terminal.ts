/**
 * Drives a program in a real pseudo-terminal through tmux: its own tmux server (socket), so nothing
 * else is touched; keys in, screen text out, and waiting for text with a timeout instead of sleeping.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ESCAPE_SEQUENCE = new RegExp(`${String.fromCharCode(27)}\\[[0-9;?]*[A-Za-z]`, 'g');

export class TmuxTerminal {
  private readonly socket: string;
  private readonly session = 'game';
  /** Every byte the program wrote, as tmux read it from the pseudo-terminal. */
  private readonly transcript: string;

  constructor(name: string) {
    this.socket = `mg-e2e-${name}-${process.pid}-${Date.now()}`;
    this.transcript = join(tmpdir(), `${this.socket}.out`);
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
    this.tmux('pipe-pane', '-t', this.session, '-o', `cat >> '${this.transcript}'`);
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
   * Escape goes alone: two in one read mean Alt+Escape to a terminal program.
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

  /** Raw bytes (hex, e.g. '1b', '03') in one write: keys a terminal delivers in one read. */
  bytes(...hex: string[]): void {
    this.tmux('send-keys', '-t', this.session, '-H', ...hex);
  }

  /** Text pasted in one go (tmux's paste buffer; a line feed arrives as Enter, as from a terminal). */
  paste(text: string): void {
    this.tmux('set-buffer', '-b', 'mg-paste', '--', text);
    this.tmux('paste-buffer', '-b', 'mg-paste', '-d', '-t', this.session);
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

  /**
   * Waits until the program has ended; returns its exit status and the text it wrote after leaving
   * the full screen (escape sequences removed). Both come from tmux's state and the pty transcript,
   * not the screen: under load tmux 3.3 may mark the pane dead before drawing the program's last bytes,
   * or draw them and not (yet) its "Pane is dead" line.
   */
  async waitForExit(timeoutMs = 20_000): Promise<{ status: number; lastWords: string }> {
    const deadline = Date.now() + timeoutMs;
    let state: string;
    for (;;) {
      try {
        state = this.tmux(
          'display-message',
          '-p',
          '-t',
          this.session,
          '#{pane_dead}:#{pane_dead_status}',
        ).trim();
      } catch {
        state = '';
      }
      if (state.startsWith('1:')) break;
      if (Date.now() > deadline) {
        throw new Error(`the program did not end (tmux says "${state}"); the screen was:\n${this.screen()}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // pipe-pane's reader may still be writing the last bytes to the file.
    const leaveFullScreen = '\u001b[?1049l';
    let written = '';
    for (let waited = 0; waited < 5_000; waited += 100) {
      written = existsSync(this.transcript) ? readFileSync(this.transcript, 'utf8') : '';
      if (written.includes(leaveFullScreen)) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const afterFullScreen = written.includes(leaveFullScreen)
      ? written.slice(written.lastIndexOf(leaveFullScreen))
      : written;
    const lastWords = afterFullScreen.replace(ESCAPE_SEQUENCE, '').replace(/\r/g, '');
    return { status: Number(state.slice(2)), lastWords };
  }

  stop(): void {
    try {
      this.tmux('kill-server');
    } catch {
      // already gone
    }
    rmSync(this.transcript, { force: true });
  }
}
