/**
 * The browser game in Chromium, the pilot's account: the first paint and the JavaScript's weight, signing
 * up in English and in Russian (chosen from the browser's language, then switched), a server that dies
 * mid-session and comes back, a forged session, logging out. Any console error or failed request a page
 * did not expect fails the file's last test.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, type Player, screenshots } from '../helpers/browser';
import {
  addPlayer,
  check,
  expectCleanRun,
  nav,
  nickname,
  openWorld,
  poll,
  runnable,
  signUp,
  type World,
} from './world';

/**
 * The first meaningful paint of a page load: the milliseconds from navigation start until the sign-in
 * form's heading is in the DOM (checked at every animation frame), with the browser's first contentful
 * paint (the boot line of index.html) beside it.
 */
async function measurePaint(page: Page): Promise<{ formMs: number; fcpMs: number | null }> {
  // Read in the page, in the animation frame that first finds the heading.
  const found = await page.waitForFunction(
    () => (document.querySelector('#login-heading') === null ? 0 : performance.now()),
    undefined,
    { polling: 'raf' },
  );
  const formMs = Math.round(await found.jsonValue());
  // The paint entry is queued a little after the paint itself.
  const fcp = await page
    .waitForFunction(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime, undefined, {
      timeout: 5_000,
    })
    .then((handle) => handle.jsonValue())
    .catch(() => null);
  return { formMs, fcpMs: typeof fcp === 'number' ? Math.round(fcp) : null };
}

function kib(bytes: number): number {
  return Number((bytes / 1024).toFixed(1));
}

describe.skipIf(!runnable)('the browser game in Chromium: the account', () => {
  let world: World;
  let a: Player;
  let b: Player;
  const nameA = nickname('vega');
  const nameB = nickname('orion');

  beforeAll(async () => {
    world = await openWorld();
    a = await addPlayer(world, 'A', 'en-US');
    b = await addPlayer(world, 'B', 'ru-RU');
  }, 300_000);
  afterAll(async () => {
    await world?.close();
  });

  it('paints the sign-in form fast, cold and from the cache, with under 150 KiB of gzipped JavaScript in the first load', async () => {
    await a.page.goto(`${world.server.url}/`);
    const paint = await measurePaint(a.page);
    // Again from the browser's cache (hashed assets are immutable): what a returning player waits.
    await a.page.reload();
    const warmPaint = await measurePaint(a.page);
    await poll(() => a.page.getByRole('heading', { name: 'Identify yourself, pilot' }).isVisible()).toBe(
      true,
    );
    await check(world, a, '01-login');
    mkdirSync(ARTIFACTS, { recursive: true });
    const figures = {
      // What a player's first load fetches (index.html's module script and modulepreloads)…
      firstLoadJsGzipKiB: kib(world.js.firstLoad.gzipBytes),
      firstLoadJsFiles: world.js.firstLoad.files,
      // …and, apart, the chunks only the operator's console loads (the console, uPlot).
      consoleJsGzipKiB: kib(world.js.lazy.gzipBytes),
      consoleJsFiles: world.js.lazy.files,
      firstContentfulPaintMs: paint.fcpMs,
      loginFormRenderedMs: paint.formMs,
      warmFirstContentfulPaintMs: warmPaint.fcpMs,
      warmLoginFormRenderedMs: warmPaint.formMs,
      // How busy the machine was meanwhile (1-minute load average; this machine has 2 cores).
      loadAverage1m: Number(loadavg()[0]?.toFixed(1)),
    };
    writeFileSync(path.join(ARTIFACTS, 'figures.json'), `${JSON.stringify(figures, null, 2)}\n`);
    console.log(`web e2e figures: ${JSON.stringify(figures)}`);
    expect(world.js.firstLoad.gzipBytes).toBeLessThan(150 * 1024);
    // The console is a chunk of its own, outside the first load.
    expect(world.js.lazy.files.some((file) => file.startsWith('console-'))).toBe(true);
  });

  it('signs a new pilot up in English, with the login bonus on the bridge', async () => {
    await signUp(a, nameA);
    await a.page.getByRole('heading', { name: `Welcome aboard, ${nameA}!` }).waitFor();
    await poll(() => a.page.getByText(/Login bonus: \+\d+\.\d{2} credits/).isVisible()).toBe(true);
    await check(world, a, '02-home');
  });

  it('speaks Russian to a Russian browser, and English once the pilot switches', async () => {
    await b.page.goto(`${world.server.url}/`);
    await b.page.getByRole('heading', { name: 'Назовите себя, пилот' }).waitFor();
    await screenshots(b.page, '01-login-ru');
    await signUp(b, nameB, 'ru');
    await b.page.getByRole('heading', { name: `Добро пожаловать на борт, ${nameB}!` }).waitFor();
    await check(world, b, '02-home-ru');
    await b.page.getByRole('button', { name: 'EN' }).click();
    await b.page.getByRole('heading', { name: `Welcome aboard, ${nameB}!` }).waitFor();
  });

  it('says "Cannot reach the galaxy" while the server is down, and carries on once it is back', async () => {
    a.guard.outage = true;
    b.guard.outage = true;
    await world.server.kill();
    await nav(a.page, 'Shop').click();
    const banner = a.page.getByRole('alert').filter({ hasText: 'Cannot reach the galaxy — retrying…' });
    await banner.waitFor({ timeout: 30_000 });
    await check(world, a, '08-offline');
    const retryNow = a.page.getByRole('button', { name: 'Retry now' });
    await retryNow.waitFor();
    await world.server.start();
    // The page may already have got through on its own automatic retry while the server started.
    if (await retryNow.isVisible()) await retryNow.click({ timeout: 5_000 }).catch(() => undefined);
    await banner.waitFor({ state: 'detached', timeout: 60_000 });
    const rows = a.page.getByRole('list', { name: 'Shop' }).getByRole('listitem');
    await poll(() => rows.count(), 30_000).toBe(12);
    a.guard.outage = false;
    b.guard.outage = false;
  });

  it('sends a session the server does not know back to sign-in with the expiry message', async () => {
    b.guard.allow(/^401 GET \/api\/v1\/me$/);
    await b.page.evaluate(() => sessionStorage.setItem('metagameplay.token', 'forged-token'));
    await b.page.reload();
    await poll(() => b.page.getByText('Your session has expired — please log in again.').isVisible()).toBe(
      true,
    );
    expect(await b.page.evaluate(() => Object.keys(localStorage).length)).toBe(0);
  });

  it('logs out: the farewell, and no token left in the tab', async () => {
    await a.page.getByRole('button', { name: 'Log out' }).click();
    await poll(() => a.page.getByText('You left the bridge. Fly safe, pilot.').isVisible()).toBe(true);
    expect(await a.page.evaluate(() => sessionStorage.getItem('metagameplay.token'))).toBeNull();
    await check(world, a, '09-logged-out');
  });

  it('had no console error, failed request or serious accessibility violation on any screen', () => {
    expectCleanRun(world);
  });
});
