/**
 * The browser game in Chromium, trading: the shop's pages and search, an unaffordable item refused, a
 * purchase confirmed with the balance after, another pilot's purchase kept apart, a sale from the
 * inventory, and the ledger of it all. Any console error or failed request a page did not expect fails
 * the file's last test.
 */
import { formatCredits, parseCredits } from '@metagameplay/protocol';
import { afterAll, beforeAll, describe, it } from 'vitest';
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
  type World,
} from './world';

describe.skipIf(!runnable)('the browser game in Chromium: trading', () => {
  let world: World;
  let a: Player;
  let b: Player;
  /** A's credits before the purchase. */
  let before: string;
  const rowsOf = (player: Player) => player.page.getByRole('list', { name: 'Shop' }).getByRole('listitem');

  beforeAll(async () => {
    world = await openWorld();
    a = await pilotOnBoard(world, 'A', nickname('vega'));
    b = await pilotOnBoard(world, 'B', nickname('orion'));
  }, 300_000);
  afterAll(async () => {
    await world?.close();
  });

  it('shows the catalog 12 items a page, forward and back', async () => {
    before = await headerCredits(a.page);
    await nav(a.page, 'Shop').click();
    await poll(() => rowsOf(a).count()).toBe(12);
    await check(world, a, '03-shop');
    await a.page.getByRole('button', { name: 'Next →' }).click();
    await poll(() => a.page.getByText('Galaxy item 013').isVisible()).toBe(true);
    await poll(() => a.page.getByText('Page 2', { exact: true }).isVisible()).toBe(true);
    await a.page.getByRole('button', { name: '← Previous' }).click();
    await poll(() => a.page.getByText('Galaxy item 001').isVisible()).toBe(true);
  });

  it('searches as the pilot types, and refuses an item dearer than the balance, saying why', async () => {
    await a.page.getByRole('searchbox', { name: 'Search the catalog' }).fill('item 040');
    await poll(() => rowsOf(a).count()).toBe(1);
    const buy = a.page.getByRole('button', { name: 'Buy Galaxy item 040' });
    await poll(() => buy.getAttribute('aria-disabled')).toBe('true');
    await buy.click({ force: true });
    await poll(() => a.page.getByText(/Not enough credits: it costs 40\.40, you have/).isVisible()).toBe(
      true,
    );
  });

  it('buys after a confirmation that shows the balance after; the header and the row follow', async () => {
    await a.page.getByRole('searchbox', { name: 'Search the catalog' }).fill('item 007');
    await poll(() => rowsOf(a).count()).toBe(1);
    await a.page.getByRole('button', { name: 'Buy Galaxy item 007' }).click();
    const dialog = a.page.getByRole('dialog', { name: 'Confirm purchase' });
    await dialog.waitFor();
    const after = formatCredits((parseCredits(before) ?? 0) - 707);
    await poll(() => dialog.getByText(`Balance after: ${after} credits.`).isVisible()).toBe(true);
    await check(world, a, '04-shop-confirm');
    await dialog.getByRole('button', { name: 'Buy' }).click();
    await poll(() => a.page.getByText(/Item bought — you grow stronger!/).isVisible()).toBe(true);
    await poll(() => headerCredits(a.page)).toBe(after);
    await poll(() => a.page.getByText('✓ Owned').isVisible()).toBe(true);
    await check(world, a, '05-shop-bought');
  });

  it("marks another pilot's purchase owned for that pilot only", async () => {
    await nav(b.page, 'Shop').click();
    await b.page.getByRole('searchbox', { name: 'Search the catalog' }).fill('item 003');
    await b.page.getByRole('button', { name: 'Buy Galaxy item 003' }).click();
    await b.page
      .getByRole('dialog', { name: 'Confirm purchase' })
      .getByRole('button', { name: 'Buy' })
      .click();
    await poll(() => b.page.getByText(/Item bought/).isVisible()).toBe(true);
    await poll(() => b.page.getByText('✓ Owned').isVisible()).toBe(true);
    await a.page.getByRole('searchbox', { name: 'Search the catalog' }).fill('item 003');
    await poll(() => a.page.getByRole('button', { name: 'Buy Galaxy item 003' }).isVisible()).toBe(true);
  });

  it('sells from the inventory after a confirmation; the hold is empty and the credits are back', async () => {
    await nav(a.page, 'Inventory').click();
    await a.page.getByRole('button', { name: 'Sell Galaxy item 007' }).waitFor();
    await check(world, a, '06-inventory');
    await a.page.getByRole('button', { name: 'Sell Galaxy item 007' }).click();
    const sellDialog = a.page.getByRole('dialog', { name: 'Confirm sale' });
    await poll(() => sellDialog.getByText(`Balance after: ${before} credits.`).isVisible()).toBe(true);
    await sellDialog.getByRole('button', { name: 'Sell' }).click();
    await poll(() => a.page.getByText(/Sold — credits are in your hold/).isVisible()).toBe(true);
    await poll(() => a.page.getByText('Your hold is empty. Visit the shop!').isVisible()).toBe(true);
    await poll(() => headerCredits(a.page)).toBe(before);
  });

  it('lists the sale, the purchase and the login bonus in the history, newest first', async () => {
    await nav(a.page, 'History').click();
    const ledger = a.page.getByRole('list', { name: 'Transaction history' }).getByRole('listitem');
    await poll(() => ledger.count()).toBe(3);
    await poll(() => ledger.nth(0).textContent()).toMatch(/sale.*\+7\.07.*Galaxy item 007/);
    await poll(() => ledger.nth(1).textContent()).toMatch(/purchase.*-7\.07.*Galaxy item 007/);
    await poll(() => ledger.nth(2).textContent()).toMatch(/login bonus/);
    await check(world, a, '07-history');
  });

  it('had no console error, failed request or serious accessibility violation on any screen', () => {
    expectCleanRun(world);
  });
});
