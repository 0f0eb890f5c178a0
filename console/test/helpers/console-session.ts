/**
 * What the console end-to-end tests share: whether tmux is there, starting the real console program in
 * a tmux terminal against a test server, and creating a new pilot through the login screen.
 */
import { execFileSync } from 'node:child_process';
import { ROOT, TSX } from './game-server';
import { TmuxTerminal } from './tmux-terminal';

/** The tests drive the game in tmux's pseudo-terminals; without tmux they are reported as skipped. */
export function hasTmux(): boolean {
  try {
    execFileSync('tmux', ['-V']);
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts `npm run console`'s program in a new 120×40 terminal against `serverUrl`, with `args` (e.g.
 * `--lang en`); the terminal is added to `terminals`, for the test file's afterAll to stop.
 */
export function openConsole(
  terminals: TmuxTerminal[],
  name: string,
  serverUrl: string,
  args: string,
): TmuxTerminal {
  const term = new TmuxTerminal(name);
  terminals.push(term);
  term.start(
    // CI stays in the environment (CI sets CI=true): the game must still draw every frame on a terminal.
    `env LANG=en_US.UTF-8 TERM=xterm-256color ${TSX} console/src/main.tsx --server ${serverUrl} ${args}`,
    ROOT,
  );
  return term;
}

/**
 * Creates a pilot from an empty login screen (English): the unknown nickname → the offer to create it →
 * the password again; returns the home screen once it shows the credits. The first screen may wait for
 * tsx to compile the game, slow when other test files load both cores.
 */
export async function registerPilot(term: TmuxTerminal, nickname: string, password: string): Promise<string> {
  await term.waitFor('Nickname:', 90_000);
  await term.type(nickname);
  term.key('Enter');
  await term.waitFor('Password:');
  await term.type(password);
  term.key('Enter');
  await term.waitFor('Create this pilot?');
  term.key('y');
  await term.waitFor('Repeat password:');
  await term.type(password);
  term.key('Enter');
  await term.waitFor(`Welcome aboard, ${nickname}!`);
  return term.waitFor(/Credits\s+\d/);
}
