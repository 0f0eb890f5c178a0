/**
 * The browser game in Chromium, the market between two pilots as newcomers play it: A buys an item in the
 * shop and lists it from the inventory at a price (shown as listed, no longer sellable); B sees it on the
 * Market (and its price on the shop's row), buys it after a confirmation with the balance after; A hears
 * of the sale live and is paid the price less the 5 % fee; A's listings show it sold. Any console error or
 * failed request a page did not expect fails the file's last test.
 */
import { formatCredits } from '@metagameplay/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Player } from '../helpers/browser';
import {
  check,
  expectCleanRun,
  headerCredits,
  nav,
  nickname,
  openWorld,
  pilotOnBoard,
  poll,
  runnable,
  units,
  type World,
} from './world';

describe.skipIf(!runnable)('the browser game in Chromium: the market between pilots', () => {
  let world: World;
  let a: Player;
  let b: Player;
  let nameA: string;
  let creditsA: number;
  let creditsB: number;

  beforeAll(async () => {
    world = await openWorld();
    nameA = nickname('lyra');
    a = await pilotOnBoard(world, 'A', nameA);
    b = await pilotOnBoard(world, 'B', nickname('draco'));
  }, 300_000);
  afterAll(async () => {
    await world?.close();
  });

  it('A buys an item and lists it from the inventory: it shows as listed and cannot be sold', async () => {
    await nav(a.page, 'Shop').click();
    await a.page.getByRole('button', { name: 'Buy Galaxy item 003' }).click();
    await a.page
      .getByRole('dialog', { name: 'Confirm purchase' })
      .getByRole('button', { name: 'Buy' })
      .click();
    await poll(() => a.page.getByText('✓ Owned').isVisible()).toBe(true);
    await nav(a.page, 'Inventory').click();
    await a.page.getByRole('button', { name: 'List on the market: Galaxy item 003' }).click();
    const dialog = a.page.getByRole('dialog', { name: 'List "Galaxy item 003" on the market' });
    await dialog.getByLabel('Price (credits)').fill('5');
    await check(world, a, '20-market-list');
    await dialog.getByRole('button', { name: 'List it' }).click();
    await poll(() =>
      a.page.getByText('"Galaxy item 003" is on the market for 5.00 credits.').isVisible(),
    ).toBe(true);
    await poll(() => a.page.getByText('listed', { exact: true }).isVisible()).toBe(true);
    expect(await a.page.getByRole('button', { name: 'Sell Galaxy item 003' }).count()).toBe(0);
    await check(world, a, '20-market-listed-in-inventory');
    creditsA = units(await headerCredits(a.page));
  });

  it('B sees it on the Market and on the shop row, buys it with the balance after; A hears at once', async () => {
    await nav(b.page, 'Shop').click();
    await poll(() => b.page.getByText('market from 5.00').isVisible()).toBe(true);
    creditsB = units(await headerCredits(b.page));
    await nav(b.page, 'Market').click();
    const buy = b.page.getByRole('button', { name: `Buy Galaxy item 003 from ${nameA}` });
    await buy.waitFor();
    await check(world, b, '21-market');
    await buy.click();
    const dialog = b.page.getByRole('dialog', { name: 'Buy from a pilot?' });
    await poll(() =>
      dialog.getByText(`Your balance after: ${formatCredits(creditsB - 500)} credits.`).isVisible(),
    ).toBe(true);
    await check(world, b, '22-market-confirm');
    await dialog.getByRole('button', { name: 'Buy' }).click();
    await poll(() => b.page.getByText(/^You bought "Galaxy item 003"\./).isVisible()).toBe(true);
    await poll(() => headerCredits(b.page)).toBe(formatCredits(creditsB - 500));
    // The seller, on its inventory: told live, and paid 5.00 less the 5 % fee (0.25).
    await poll(() =>
      a.page.getByText('A pilot bought your "Galaxy item 003" for 5.00 credits.').isVisible(),
    ).toBe(true);
    await poll(() => headerCredits(a.page)).toBe(formatCredits(creditsA + 475));
    await check(world, a, '23-market-sold-notice');
  });

  it("A's listings show it sold; B owns it", async () => {
    await nav(a.page, 'Market').click();
    const mine = a.page.getByRole('list', { name: 'My listings' });
    await poll(() => mine.getByRole('listitem').filter({ hasText: 'Galaxy item 003' }).textContent()).toMatch(
      /sold$/,
    );
    await check(world, a, '24-market-my-listings');
    await nav(b.page, 'Inventory').click();
    await b.page.getByRole('button', { name: 'Sell Galaxy item 003' }).waitFor();
  });

  it('logs no error and fails no request it did not expect', () => {
    expectCleanRun(world);
  });
});
