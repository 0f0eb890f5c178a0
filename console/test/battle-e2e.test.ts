/**
 * End to end, battles: two real console programs in two tmux pseudo-terminals against one real server
 * (embedded database). Each pilot's console holds a live WebSocket: the lobby of one shows the other
 * come online and leave. With the server's battle routes (wallet team's battles feature): one pilot
 * challenges from the lobby, the other gets the prompt on whatever screen it is and accepts, both see
 * the result (verified ✓); then both join quick match with the same stake and are paired.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { GameServer, ROOT, TSX } from './helpers/game-server';
import { TmuxTerminal } from './helpers/tmux-terminal';

function hasTmux(): boolean {
  try {
    execFileSync('tmux', ['-V']);
    return true;
  } catch {
    return false;
  }
}

// The battle routes are built in parallel by another team; until their feature folder is in the tree,
// the challenge and quick-match cases are reported as skipped (the live lobby case runs regardless).
const SERVER_HAS_BATTLES = existsSync(path.join(ROOT, 'server/src/features/battles'));

const server = await GameServer.create(60);
const terminals: TmuxTerminal[] = [];
const password = 'correct-horse-42';
const stamp = Date.now().toString(36);

function openConsole(name: string): TmuxTerminal {
  const term = new TmuxTerminal(`${name}-${stamp}`);
  terminals.push(term);
  term.start(
    `env LANG=en_US.UTF-8 TERM=xterm-256color ${TSX} console/src/main.tsx --server ${server.url} --lang en`,
    ROOT,
  );
  return term;
}

/** Registers a new pilot in a fresh console and waits for the home screen. */
async function newPilot(name: string): Promise<{ term: TmuxTerminal; nickname: string }> {
  const term = openConsole(name);
  const nickname = `${name}_${stamp}`;
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
  await term.waitFor(/Credits\s+\d/);
  return { term, nickname };
}

beforeAll(async () => {
  if (hasTmux()) await server.start();
});

afterAll(async () => {
  for (const term of terminals) term.stop();
  await server.dispose();
});

describe.skipIf(!hasTmux())('console battles end to end', () => {
  let a: { term: TmuxTerminal; nickname: string };
  let b: { term: TmuxTerminal; nickname: string };

  it('shows the other pilot come online in the lobby, live', async () => {
    a = await newPilot('ann');
    a.term.key('6');
    await a.term.waitFor('Lobby — pilots online');
    await a.term.waitFor('No other pilot is online right now.');
    // B logs in: A's lobby gains B from the presence event, without a key pressed.
    b = await newPilot('bob');
    await a.term.waitFor(b.nickname, 20_000);
  }, 300_000);

  it.skipIf(!SERVER_HAS_BATTLES)(
    'challenge from one console, accept in the other, both see the result',
    async () => {
      // A challenges B (the only pilot listed, under the cursor) for 1 credit.
      a.term.key('Enter');
      await a.term.waitFor(`Stake against ${b.nickname}`);
      await a.term.type('1');
      a.term.key('Enter');
      await a.term.waitFor(`Challenge sent to ${b.nickname}`);
      // B is on its home screen: the prompt appears there, counting down.
      await b.term.waitFor(/challenges you for 1\.00 credits — \d+ s left/);
      b.term.key('a');
      for (const term of [a.term, b.term]) {
        await term.waitFor('Battle result', 20_000);
        await term.waitFor(/VICTORY|Defeat/);
        await term.waitFor('verified ✓');
        await term.waitFor(/Your odds were \d+\.\d %/);
      }
      a.term.key('Escape');
      b.term.key('Escape');
      await a.term.waitFor('Welcome aboard');
      await b.term.waitFor('Welcome aboard');
    },
  );

  it.skipIf(!SERVER_HAS_BATTLES)(
    'quick match pairs the two pilots',
    async () => {
      for (const term of [a.term, b.term]) {
        term.key('7');
        await term.waitFor('Stake (credits, empty = friendly):');
        term.key('Enter');
        await term.waitFor('Looking for an opponent');
      }
      for (const term of [a.term, b.term]) {
        await term.waitFor('Battle result', 30_000);
        await term.waitFor('verified ✓');
      }
    },
    120_000,
  );
});
