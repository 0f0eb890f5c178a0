/**
 * The operator's console in Chromium, as an admin uses it (issue 16): made admin the README's way (the
 * server stopped, `npm run admin -- promote`, started again), the admin finds a pilot, grants credits (the
 * pilot's open page sees them), bans it (its open page is signed out at once and its login refused with the
 * reason), unbans it, exports its data, edits a catalog item (the pilot's shop shows the new price),
 * deletes another account (its name is free again), reads the audit log, runs the books, and the dashboard
 * and the economy draw their charts with data. A player never sees the console. Every screen gets axe-core
 * and screenshots at 1440 and 360 px; any console error or failed request no page expected fails the file.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, TSX } from '../../../console/test/helpers/game-server';
import type { Player } from '../helpers/browser';
import {
  addPlayer,
  check,
  expectCleanRun,
  headerCredits,
  nav,
  nickname,
  openWorld,
  PASSWORD,
  poll,
  runnable,
  units,
  type World,
} from './world';

async function registerByApi(world: World, name: string): Promise<{ id: string; token: string }> {
  const answer = await fetch(`${world.server.url}/api/v1/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ nickname: name, password: PASSWORD }),
  });
  expect(answer.status).toBe(201);
  const body = (await answer.json()) as { token: string; player: { id: string } };
  return { id: body.player.id, token: body.token };
}

/** From the sign-in form, an existing pilot: nickname, password, take off. */
async function signIn(player: Player, name: string): Promise<void> {
  await player.page.getByRole('textbox', { name: /^Nickname/ }).fill(name);
  await player.page.getByLabel(/^Password$/).fill(PASSWORD);
  await player.page.getByRole('button', { name: 'Take off' }).click();
}

describe.skipIf(!runnable)('the operator’s console in Chromium', () => {
  let world: World;
  let boss: Player;
  let pilot: Player;
  const bossName = nickname('boss');
  const pilotName = nickname('ripley');
  const victimName = nickname('ghost');
  let pilotId: string;

  beforeAll(async () => {
    world = await openWorld();
    await registerByApi(world, bossName);
    pilotId = (await registerByApi(world, pilotName)).id;
    await registerByApi(world, victimName);
    // The README's way to make an admin with the embedded database: stop the server, promote, start.
    await world.server.kill('SIGTERM');
    execFileSync(TSX, ['server/src/cli.ts', 'promote', bossName], {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: world.server.dataDir, LOG_LEVEL: 'warn' },
      stdio: 'pipe',
    });
    await world.server.start();
    boss = await addPlayer(world, 'boss');
    pilot = await addPlayer(world, 'pilot');
    for (const [player, name] of [
      [boss, bossName],
      [pilot, pilotName],
    ] as const) {
      await player.page.goto(`${world.server.url}/`);
      await signIn(player, name);
      await player.page.getByRole('heading', { name: `Welcome aboard, ${name}!` }).waitFor();
    }
  }, 300_000);
  afterAll(async () => {
    await world?.close();
  });

  it('never shows the console to a player, even at /admin', async () => {
    expect(await nav(pilot.page, 'Console').count()).toBe(0);
    await pilot.page.goto(`${world.server.url}/admin`);
    await pilot.page.getByRole('heading', { name: 'Not allowed' }).waitFor();
    await check(world, pilot, '40-console-not-allowed');
    await pilot.page.getByRole('button', { name: 'Back to the bridge' }).click();
    await pilot.page.getByRole('heading', { name: `Welcome aboard, ${pilotName}!` }).waitFor();
  });

  it('shows the admin a live dashboard of the node with its charts', async () => {
    await nav(boss.page, 'Console').click();
    await boss.page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
    const nodes = boss.page.getByRole('table', { name: 'Nodes' });
    await poll(() => nodes.getByText('Postgres: ok').count()).toBe(1);
    await poll(() =>
      boss.page.getByRole('img', { name: /^Chart: Requests per second/ }).count(),
    ).toBeGreaterThan(0);
    await check(world, boss, '41-console-dashboard');
  });

  it('finds the pilot by a prefix in another case and grants credits its open page sees', async () => {
    const before = units(await headerCredits(pilot.page));
    const sections = boss.page.getByRole('navigation', { name: 'Console sections' });
    await sections.getByRole('link', { name: 'Players' }).click();
    await boss.page
      .getByRole('searchbox', { name: 'Search players' })
      .fill(pilotName.slice(0, 5).toUpperCase());
    const found = boss.page.getByRole('table', { name: 'Players found' });
    await found.getByRole('link', { name: pilotName }).click();
    await boss.page.getByRole('heading', { name: `Pilot ${pilotName}` }).waitFor();
    await check(world, boss, '42-console-player');
    await boss.page.getByRole('button', { name: 'Grant credits' }).click();
    const dialog = boss.page.getByRole('dialog', { name: 'Grant credits' });
    await dialog.getByRole('textbox', { name: 'Amount (credits)' }).fill('12.34');
    await dialog.getByRole('textbox', { name: 'Reason' }).fill('compensation for ticket 7');
    await check(world, boss, '43-console-grant');
    await dialog.getByRole('button', { name: 'Grant credits' }).click();
    await poll(() => boss.page.getByText(/^Granted 12\.34 credits\./).isVisible()).toBe(true);
    await poll(async () => units(await headerCredits(pilot.page))).toBe(before + 1234);
  });

  it('bans the pilot: its open page is signed out at once and its login refused with the reason', async () => {
    // The pilot's page, signed out by the server, may still ask once with its revoked token.
    pilot.guard.allow(/^401 (GET|POST) \/api\/v1\//);
    pilot.guard.allow(/^403 POST \/api\/v1\/auth\/login$/);
    await boss.page.getByRole('button', { name: 'Ban', exact: true }).click();
    const dialog = boss.page.getByRole('dialog', { name: 'Ban' });
    await dialog.getByRole('radio', { name: 'Permanent (until unbanned)' }).check();
    await dialog.getByRole('textbox', { name: 'Reason' }).fill('botting in the shop');
    await dialog.getByRole('button', { name: 'Ban', exact: true }).click();
    await poll(() => boss.page.getByText('The player is banned.').isVisible()).toBe(true);
    await poll(() => pilot.page.getByRole('button', { name: 'Take off' }).isVisible(), 5_000).toBe(true);
    await signIn(pilot, pilotName);
    await poll(() => pilot.page.getByText('This pilot is banned: botting in the shop').isVisible()).toBe(
      true,
    );
    await check(world, pilot, '44-banned-login');
  });

  it('unbans the pilot, who can then sign in', async () => {
    await boss.page.getByRole('button', { name: 'Unban' }).click();
    const dialog = boss.page.getByRole('dialog', { name: 'Unban' });
    await dialog.getByRole('textbox', { name: 'Reason' }).fill('appeal accepted');
    await dialog.getByRole('button', { name: 'Unban' }).click();
    await poll(() => boss.page.getByText('The player is unbanned.').isVisible()).toBe(true);
    await signIn(pilot, pilotName);
    await pilot.page.getByRole('heading', { name: `Welcome aboard, ${pilotName}!` }).waitFor();
  });

  it('exports the pilot’s data as one JSON file, without secrets', async () => {
    await boss.page.getByRole('button', { name: 'Export data' }).click();
    const dialog = boss.page.getByRole('dialog', { name: 'Export data' });
    await dialog.getByRole('textbox', { name: 'Reason' }).fill('data request by mail');
    const download = boss.page.waitForEvent('download');
    await dialog.getByRole('button', { name: 'Export data' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe(`player-${pilotId}.json`);
    const text = readFileSync((await file.path())!, 'utf8');
    const data = JSON.parse(text) as Record<string, unknown>;
    expect(JSON.stringify(data)).toContain(pilotId);
    expect(JSON.stringify(data)).toContain('compensation for ticket 7');
    expect(text).not.toMatch(/password|token_?hash|\$argon2/i);
  });

  it('edits an item’s price and the pilot’s shop shows it', async () => {
    const sections = boss.page.getByRole('navigation', { name: 'Console sections' });
    await sections.getByRole('link', { name: 'Catalog' }).click();
    await boss.page.getByRole('table', { name: 'Catalog items' }).waitFor();
    await boss.page.getByRole('button', { name: 'Edit Galaxy item 005' }).click();
    const dialog = boss.page.getByRole('dialog', { name: 'Edit Galaxy item 005' });
    await dialog.getByRole('textbox', { name: 'Price (credits)' }).fill('7.77');
    await check(world, boss, '45-console-edit-item');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await poll(() => boss.page.getByText('Item "Galaxy item 005" saved.').isVisible()).toBe(true);
    await poll(() =>
      boss.page.getByRole('table', { name: 'Catalog items' }).getByText('7.77', { exact: false }).count(),
    ).toBeGreaterThan(0);
    await nav(pilot.page, 'Shop').click();
    await pilot.page.getByRole('button', { name: 'Buy Galaxy item 005' }).waitFor();
    await poll(() => pilot.page.getByText('7.77', { exact: false }).count()).toBeGreaterThan(0);
  });

  it('deletes an account: a tombstone, and the name is free again', async () => {
    const sections = boss.page.getByRole('navigation', { name: 'Console sections' });
    await sections.getByRole('link', { name: 'Players' }).click();
    const search = boss.page.getByRole('searchbox', { name: 'Search players' });
    await search.fill(victimName);
    await boss.page
      .getByRole('table', { name: 'Players found' })
      .getByRole('link', { name: victimName })
      .click();
    await boss.page.getByRole('heading', { name: `Pilot ${victimName}` }).waitFor();
    await boss.page.getByRole('button', { name: 'Delete account' }).click();
    const dialog = boss.page.getByRole('dialog', { name: 'Delete account' });
    await dialog.getByRole('textbox', { name: 'Reason' }).fill('right to erasure');
    await dialog
      .getByRole('textbox', { name: `Type the nickname "${victimName}" to confirm` })
      .fill(victimName);
    await check(world, boss, '46-console-delete');
    await dialog.getByRole('button', { name: 'Delete account' }).click();
    await poll(() => boss.page.getByText('The account is deleted.').isVisible()).toBe(true);
    const again = await fetch(`${world.server.url}/api/v1/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ nickname: victimName, password: PASSWORD }),
    });
    expect(again.status).toBe(201);
  });

  it('lists every action in the audit log and exports it', async () => {
    const sections = boss.page.getByRole('navigation', { name: 'Console sections' });
    await sections.getByRole('link', { name: 'Audit log' }).click();
    const entries = boss.page.getByRole('table', { name: 'Audit entries' });
    for (const reason of [
      'compensation for ticket 7',
      'botting in the shop',
      'appeal accepted',
      'data request by mail',
      'right to erasure',
    ]) {
      await poll(() => entries.getByText(reason).count()).toBeGreaterThan(0);
    }
    await check(world, boss, '47-console-audit-log');
    const download = boss.page.waitForEvent('download');
    await boss.page.getByRole('button', { name: 'Export CSV' }).click();
    const csv = readFileSync((await (await download).path())!, 'utf8');
    expect(csv).toContain('right to erasure');
    expect(csv.split('\n').length).toBeGreaterThanOrEqual(7);
  });

  it('runs the books: they balance after every action', async () => {
    const sections = boss.page.getByRole('navigation', { name: 'Console sections' });
    await sections.getByRole('link', { name: 'Books' }).click();
    await boss.page.getByRole('button', { name: 'Run audit' }).click();
    await poll(() => boss.page.getByText('The books balance: no findings.').isVisible()).toBe(true);
    await check(world, boss, '48-console-books');
  });

  it('draws the economy with data, each chart with its table', async () => {
    const sections = boss.page.getByRole('navigation', { name: 'Console sections' });
    await sections.getByRole('link', { name: 'Economy' }).click();
    await boss.page.getByRole('group', { name: 'Range' }).getByRole('button', { name: '7 days' }).click();
    for (const title of [
      'Money supply at the end of each day (credits)',
      'Credits created and destroyed per day',
      'Items bought and sold per day',
    ]) {
      await poll(() => boss.page.getByRole('img', { name: `Chart: ${title}` }).count()).toBe(1);
    }
    const holders = boss.page.getByRole('table', { name: 'Top holders' });
    await poll(() => holders.getByRole('link', { name: pilotName }).count()).toBe(1);
    await check(world, boss, '49-console-economy');
  });

  it('logs no error, fails no request it did not expect, and has no serious accessibility finding', () => {
    expectCleanRun(world);
  });
});
