/**
 * End to end, the market: two real console programs in two tmux pseudo-terminals against one real server
 * (embedded database), played as newcomers would. A buys an item in the shop and lists it from the
 * inventory (L, a typed price): it shows as listed. B opens the Market, finds it, buys it after the
 * question with the balance after. A is told of the sale live, on whatever screen it is, and is paid the
 * price less the 5 % fee; A's listings (Tab) show it sold.
 */
import { formatCredits } from '@metagameplay/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasTmux, openConsole, registerPilot } from './helpers/console-session';
import { GameServer } from './helpers/game-server';
import type { TmuxTerminal } from './helpers/tmux-terminal';

const server = await GameServer.create(20);
const terminals: TmuxTerminal[] = [];
const password = 'correct-horse-42';
const stamp = Date.now().toString(36);

async function newPilot(name: string): Promise<{ term: TmuxTerminal; nickname: string; screen: string }> {
  const term = openConsole(terminals, `${name}-${stamp}`, server.url, '--lang en');
  const nickname = `${name}_${stamp}`;
  const screen = await registerPilot(term, nickname, password);
  return { term, nickname, screen };
}

/** The credits on the home screen, in units. */
function homeCredits(screen: string): number {
  const match = /Credits\s+([\d.]+) cr/.exec(screen);
  if (!match?.[1]) throw new Error(`no credits on the home screen:\n${screen}`);
  return Math.round(Number(match[1]) * 100);
}

beforeAll(async () => {
  if (hasTmux()) await server.start();
});

afterAll(async () => {
  for (const term of terminals) term.stop();
  await server.dispose();
});

describe.skipIf(!hasTmux())('console market end to end', () => {
  let a: { term: TmuxTerminal; nickname: string; screen: string };
  let b: { term: TmuxTerminal; nickname: string; screen: string };
  let creditsA = 0;

  it('A buys an item, then lists it from the inventory at a typed price', async () => {
    a = await newPilot('mia');
    a.term.key('1');
    await a.term.waitFor('Galaxy item 001');
    a.term.key('Enter');
    await a.term.waitFor('Buy "Galaxy item 001" for 1.01 credits?');
    a.term.key('y');
    await a.term.waitFor('✓ owned');
    a.term.key('Escape');
    creditsA = homeCredits(await a.term.waitFor(/Items\s+1/));
    a.term.key('2');
    await a.term.waitFor('Galaxy item 001');
    a.term.key('l');
    await a.term.waitFor('Price for "Galaxy item 001" in credits:');
    await a.term.type('3');
    a.term.key('Enter');
    await a.term.waitFor('"Galaxy item 001" is on the market for 3.00 credits.');
    await a.term.waitFor('Galaxy item 001 (listed)');
    // In escrow: the shop will not buy it back.
    a.term.key('Enter');
    await a.term.waitFor('This item is already on the market.');
  }, 300_000);

  it('B finds it on the Market and buys it with the balance after; A hears of it live', async () => {
    b = await newPilot('leo');
    const creditsB = homeCredits(b.screen);
    b.term.key('4');
    await b.term.waitFor('Search the market');
    await b.term.waitFor(a.nickname);
    b.term.key('Enter');
    await b.term.waitFor(
      `Buy "Galaxy item 001" from ${a.nickname} for 3.00 credits? Your balance after: ${formatCredits(creditsB - 300)} credits.`,
    );
    b.term.key('y');
    await b.term.waitFor(`You bought "Galaxy item 001". Balance: ${formatCredits(creditsB - 300)} credits.`);
    // A, still on its inventory, is told at once.
    await a.term.waitFor('A pilot bought your "Galaxy item 001" for 3.00 credits.', 20_000);
    a.term.key('Escape');
    const home = await a.term.waitFor(/Items\s+0/);
    // 3.00 less the 5 % fee (0.15).
    expect(homeCredits(home)).toBe(creditsA + 285);
  }, 300_000);

  it("A's listings show it sold", async () => {
    a.term.key('4');
    // The market's own line: "Market" alone is on the home menu too, and a Tab sent there is lost.
    await a.term.waitFor('Search the market');
    a.term.key('Tab');
    await a.term.waitFor('My listings');
    await a.term.waitFor(/Galaxy item 001\s+sold/);
  }, 120_000);
});
