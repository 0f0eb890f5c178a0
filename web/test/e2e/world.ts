/**
 * What the browser e2e files share: the built web app served by the real server (a child process on a
 * fresh embedded database and a 40-item catalog), the system's headless Chromium, pilots signed up
 * through the page, and the checks every screen gets — screenshots at 1440 and 360 px
 * (web/test-artifacts/) and axe-core (no serious violation). Each file opens its own world in
 * beforeAll; its tests then run in order, each one behaviour, on the same pilots.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { parseCredits } from '@metagameplay/protocol';
import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';
import { GameServer, ROOT } from '../../../console/test/helpers/game-server';
import {
  type AxeViolation,
  hasChromium,
  launchChromium,
  newPlayer,
  type Player,
  screenshots,
  seriousA11yViolations,
} from '../helpers/browser';

export const runnable = hasChromium() || Boolean(process.env.CI);
if (!runnable) {
  console.warn(
    'web e2e skipped: /usr/bin/chromium is absent (apt-get install -y chromium) and this is not CI.',
  );
}

export const PASSWORD = 'correct-horse-42';

export interface World {
  server: GameServer;
  browser: Browser;
  players: Player[];
  a11y: Array<{ screen: string; violations: AxeViolation[] }>;
  /** The gzipped weight of the built JavaScript: a player's first load, and the lazily loaded rest. */
  js: JsWeight;
  close(): Promise<void>;
}

/** Builds the web app (production, as `npm start` serves it) into a private folder and serves it. */
export async function openWorld(): Promise<World> {
  const dist = mkdtempSync(path.join(tmpdir(), 'mg-web-dist-'));
  execFileSync(
    path.join(ROOT, 'node_modules/.bin/vite'),
    ['build', 'web', '--outDir', dist, '--emptyOutDir', '--logLevel', 'warn'],
    // NODE_ENV=production: vitest's NODE_ENV=test would bundle React's development build.
    { cwd: ROOT, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } },
  );
  const js = measureJs(dist);
  const server = await GameServer.create(40);
  server.env = { WEB_DIST_DIR: dist };
  await server.start();
  const browser = await launchChromium();
  const world: World = {
    server,
    browser,
    players: [],
    a11y: [],
    js,
    async close() {
      for (const player of world.players) await player.context.close().catch(() => undefined);
      await browser.close();
      await server.dispose();
      rmSync(dist, { recursive: true, force: true });
    },
  };
  return world;
}

export interface JsWeight {
  /** What a player's first load fetches: the module scripts of index.html and its modulepreloads. */
  firstLoad: { files: string[]; gzipBytes: number };
  /** Every other chunk, fetched only on demand (the operator's console and its charts, uPlot). */
  lazy: { files: string[]; gzipBytes: number };
}

/** The JavaScript of a build, weighed gzipped (level 9): a player's first load apart from the lazy chunks. */
export function measureJs(dist: string): JsWeight {
  const html = readFileSync(path.join(dist, 'index.html'), 'utf8');
  const firstLoad = new Set<string>();
  for (const tag of html.match(/<(script|link)\b[^>]*>/g) ?? []) {
    const attribute = (name: string): string | undefined =>
      new RegExp(`\\s${name}=["']([^"']*)["']`).exec(tag)?.[1];
    const url = tag.startsWith('<script')
      ? attribute('type') === 'module'
        ? attribute('src')
        : undefined
      : attribute('rel') === 'modulepreload'
        ? attribute('href')
        : undefined;
    if (url !== undefined && url.endsWith('.js')) firstLoad.add(path.posix.basename(url));
  }
  if (firstLoad.size === 0) throw new Error(`index.html loads no module script:\n${html}`);
  const weight = (files: string[]) => ({
    files,
    gzipBytes: files.reduce(
      (sum, file) => sum + gzipSync(readFileSync(path.join(dist, 'assets', file)), { level: 9 }).length,
      0,
    ),
  });
  const all = readdirSync(path.join(dist, 'assets')).filter((name) => name.endsWith('.js'));
  return {
    firstLoad: weight(all.filter((file) => firstLoad.has(file))),
    lazy: weight(all.filter((file) => !firstLoad.has(file))),
  };
}

/** A new browser context (a pilot's own storage) in `locale`. */
export async function addPlayer(world: World, name: string, locale = 'en-US'): Promise<Player> {
  const player = await newPlayer(world.browser, name, { locale });
  world.players.push(player);
  return player;
}

/** Screenshots and the accessibility check of what the page shows now. */
export async function check(world: World, player: Player, screen: string): Promise<void> {
  await screenshots(player.page, screen);
  const violations = await seriousA11yViolations(player.page);
  if (violations.length > 0) world.a11y.push({ screen, violations });
}

/** The last test of every file: no page logged an error or failed a request it did not expect. */
export function expectCleanRun(world: World): void {
  expect(world.a11y).toEqual([]);
  for (const player of world.players) expect(player.guard.problems, player.name).toEqual([]);
}

/** Waits for a condition on the page: generous, this machine is shared and slow at times. */
export function poll<T>(read: () => Promise<T> | T, timeout = 20_000) {
  return expect.poll(read, { timeout, interval: 100 });
}

export function nav(page: Page, name: string) {
  return page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true });
}

/** Credits in the header chip, e.g. "12.34 cr" → "12.34". */
export async function headerCredits(page: Page): Promise<string> {
  const text = (await page.locator('.balance-chip').textContent()) ?? '';
  const match = /(\d+\.\d{2}) (cr|кр)/.exec(text);
  if (!match?.[1]) throw new Error(`no credits in the header: ${text}`);
  return match[1];
}

export function units(credits: string): number {
  const value = parseCredits(credits);
  if (value === null) throw new Error(`not credits: ${credits}`);
  return value;
}

const TEXTS = {
  en: { signIn: 'Take off', create: 'Create pilot', repeat: 'Repeat password' },
  ru: { signIn: 'На взлёт', create: 'Создать пилота', repeat: 'Повторите пароль' },
};

/** From the sign-in form: an unknown nickname, the offer to create it, the password again. */
export async function signUp(player: Player, name: string, lang: 'en' | 'ru' = 'en'): Promise<void> {
  const { page, guard } = player;
  const texts = TEXTS[lang];
  // The nickname is unknown at first: the login answers 404 PLAYER_NOT_FOUND and the game offers to create it.
  guard.allow(/^404 POST \/api\/v1\/auth\/login$/);
  await page.getByRole('textbox', { name: /^(Nickname|Никнейм)/ }).fill(name);
  await page.getByLabel(/^(Password|Пароль)$/).fill(PASSWORD);
  await page.getByRole('button', { name: texts.signIn }).click();
  await page.getByRole('button', { name: texts.create }).click();
  await page.getByLabel(texts.repeat).fill(PASSWORD);
  await page.getByRole('button', { name: texts.create }).click();
}

/** A pilot signed up in English and on the bridge (for files that test what comes after). */
export async function pilotOnBoard(world: World, who: string, name: string): Promise<Player> {
  const player = await addPlayer(world, who);
  await player.page.goto(`${world.server.url}/`);
  await signUp(player, name);
  await player.page.getByRole('heading', { name: `Welcome aboard, ${name}!` }).waitFor();
  return player;
}

/** A nickname no other file's pilot has (the files share no server, but a clear name helps a log). */
export function nickname(prefix: string): string {
  return `${prefix}_${Date.now().toString(36).slice(-5)}`;
}
