/**
 * End to end, battles: two real console programs in two tmux pseudo-terminals against one real server
 * (embedded database). Each pilot's console holds a live WebSocket: the lobby of one shows the other
 * come online. One pilot challenges from the lobby, the other gets the prompt on whatever screen it is
 * and accepts, both see the result (verified ✓); then both join quick match with the same stake and are
 * paired; both battles are in the pilots' battle lists and the leaderboard counts them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasTmux, openConsole, registerPilot } from './helpers/console-session';
import { GameServer } from './helpers/game-server';
import type { TmuxTerminal } from './helpers/tmux-terminal';

const server = await GameServer.create(60);
const terminals: TmuxTerminal[] = [];
const password = 'correct-horse-42';
const stamp = Date.now().toString(36);

/** Registers a new pilot in a fresh console and waits for the home screen. */
async function newPilot(name: string): Promise<{ term: TmuxTerminal; nickname: string }> {
  const term = openConsole(terminals, `${name}-${stamp}`, server.url, '--lang en');
  const nickname = `${name}_${stamp}`;
  await registerPilot(term, nickname, password);
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

  it('challenge from one console, accept in the other, both see the result', async () => {
    // A challenges B (the only pilot listed, under the cursor) for 1 credit.
    a.term.key('Enter');
    await a.term.waitFor(`Stake against ${b.nickname}`);
    await a.term.type('1');
    a.term.key('Enter');
    await a.term.waitFor(`Challenge sent to ${b.nickname}`);
    // B is on its home screen: the prompt appears there, counting down.
    const prompt = await b.term.waitFor(/challenges you for 1\.00 credits — \d+ s left/);
    const first = /— (\d+) s left/.exec(prompt)?.[1];
    await b.term.waitFor(new RegExp(`challenges you for 1\\.00 credits — (?!${first} s)\\d+ s left`));
    b.term.key('a');
    for (const [term, mine, theirs] of [
      [a.term, a.nickname, b.nickname],
      [b.term, b.nickname, a.nickname],
    ] as const) {
      await term.waitFor('verified ✓', 20_000);
      // The opponent's name arrives by its own request, maybe a moment after the result.
      const screen = await term.waitFor(`${mine} vs ${theirs}`, 20_000);
      expect(screen).toContain('Battle result');
      expect(screen).toMatch(/VICTORY|Defeat/);
      expect(screen).toContain(`${mine} vs ${theirs}`);
      expect(screen).toMatch(/Your odds were 50\.0 %/);
      expect(screen).toContain('Stake: 1.00 credits each');
      expect(screen).toMatch(/Credits: [+-]1\.00/);
      expect(screen).toMatch(/Rating: [+-]1[0-9]/);
    }
    // Back where each came from: A to the lobby, B to the home screen.
    a.term.key('Escape');
    b.term.key('Escape');
    await a.term.waitFor('Lobby — pilots online');
    await b.term.waitFor('Welcome aboard');
    a.term.key('Escape');
    await a.term.waitFor('Welcome aboard');
  }, 120_000);

  it('quick match: waiting, leaving, and pairing the two pilots', async () => {
    // A joins (the stake and its Enter pasted in one go: one read), leaves, and joins again.
    a.term.key('7');
    await a.term.waitFor('Stake (credits, empty = friendly):');
    a.term.paste('2\n');
    await a.term.waitFor(/Looking for an opponent with a stake of 2\.00 credits… 0:0\d/);
    a.term.key('Escape');
    await a.term.waitFor('You left the queue.');
    a.term.paste('2\n');
    await a.term.waitFor('Looking for an opponent');
    // B joins with the same stake: the server pairs them at once (B may never see the waiting line).
    b.term.key('7');
    await b.term.waitFor('Stake (credits, empty = friendly):');
    await b.term.type('2');
    b.term.key('Enter');
    for (const term of [a.term, b.term]) {
      const screen = await term.waitFor('verified ✓', 30_000);
      expect(screen).toContain('Battle result');
      expect(screen).toContain('Stake: 2.00 credits each');
    }
    for (const term of [a.term, b.term]) {
      term.key('Escape');
      await term.waitFor('Stake (credits, empty = friendly):');
      term.key('Escape');
      await term.waitFor('Welcome aboard');
    }
  }, 120_000);

  it('lists both battles, verified, and ranks both pilots', async () => {
    a.term.key('8');
    await a.term.waitFor('My battles');
    let screen = await a.term.waitFor(/(won|lost)\s+✓[^]*(won|lost)\s+✓/);
    const rows = screen.split('\n').filter((line) => line.includes(b.nickname));
    expect(rows).toHaveLength(2);
    expect(rows.every((row) => /(won|lost)\s+✓/.test(row))).toBe(true);
    expect(rows.map((row) => /(\d+\.\d{2})\s+(won|lost)/.exec(row)?.[1])).toEqual(['2.00', '1.00']);
    // Enter opens the newest one's result; Esc comes back to the list.
    a.term.key('Enter');
    await a.term.waitFor('Stake: 2.00 credits each');
    a.term.key('Escape');
    await a.term.waitFor('My battles');
    a.term.key('Escape');
    await a.term.waitFor('Welcome aboard');
    a.term.key('9');
    await a.term.waitFor('Leaderboard');
    screen = await a.term.waitFor(b.nickname);
    expect(screen).toContain(a.nickname);
    // Two battles between the two: the records add up to 2 wins and 2 losses.
    const records = [...screen.matchAll(/(\d) \/ (\d)\s*$/gm)].map((m) => [Number(m[1]), Number(m[2])]);
    expect(records).toHaveLength(2);
    expect(records.reduce((sum, [won]) => sum + won!, 0)).toBe(2);
    expect(records.reduce((sum, [, lost]) => sum + lost!, 0)).toBe(2);
  }, 60_000);
});
