/**
 * The page guard itself: what it excuses and what it still reports. A fetch the test's own navigation
 * drops is no failure of the game; a fetch the page aborts in place (the client's timeout) is one.
 * The pages are served by page.route, no game server needed.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, newPlayer, type Player } from '../helpers/browser';
import { runnable } from './world';

const ORIGIN = 'http://guard.test';

describe.runIf(runnable)('the page guard', () => {
  let browser: Browser;
  let player: Player;

  beforeAll(async () => {
    browser = await launchChromium();
    player = await newPlayer(browser, 'guard');
    await player.page.route(`${ORIGIN}/**`, async (route) => {
      const url = new URL(route.request().url());
      if (url.pathname === '/slow') return; // never answered: only an abort ends it
      await route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>page</title>' });
    });
  });

  afterAll(async () => {
    await player?.context.close();
    await browser?.close();
  });

  it('excuses a fetch that the test’s navigation drops', async () => {
    await player.page.goto(`${ORIGIN}/one`);
    const started = player.page.waitForRequest(`${ORIGIN}/slow`);
    await player.page.evaluate(() => {
      void fetch('/slow').catch(() => undefined);
    });
    await started;
    await player.page.goto(`${ORIGIN}/two`);
    expect(player.guard.problems).toEqual([]);
  });

  it('reports a fetch the page aborts by itself', async () => {
    const before = player.guard.problems.length;
    const failed = player.page.waitForEvent('requestfailed');
    await player.page.evaluate(() => {
      const controller = new AbortController();
      void fetch('/slow', { signal: controller.signal }).catch(() => undefined);
      setTimeout(() => controller.abort(), 50);
    });
    await failed;
    expect(player.guard.problems.slice(before)).toEqual([
      { kind: 'requestfailed', text: `GET ${ORIGIN}/slow net::ERR_ABORTED` },
    ]);
  });
});
