// @vitest-environment happy-dom
/**
 * The operator's console with a fake admin API: the door lets admins in and shows players "Not
 * allowed" without loading the console; the economy's charts come with their data as tables (the
 * created/destroyed grouping included); the dashboard shows each node's Postgres and Redis; a
 * deduction sends the amount typed in credits as minor units and shows the API's refusal.
 */
import { type AdminApi, ApiError, type Dashboard, type Economy } from '@metagameplay/client';
import { adminEn } from '@metagameplay/game/admin';
import { act, type ReactNode } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConsoleContext } from '../src/admin/console-context';
import { DashboardPage } from '../src/admin/dashboard';
import { EconomyView } from '../src/admin/economy';
import { PlayerPage } from '../src/admin/player-page';
import { ConsoleDoor } from '../src/components/console-door';
import { button, byText, PILOT, renderScreen, type Rendered, settle } from './helpers/render';

const PLAYER_ID = '7a1c2d1e-8d0b-4f3a-9d55-0e2b9a3c7f10';
let rendered: Rendered | null = null;
afterEach(() => {
  rendered?.unmount();
  rendered = null;
});

function renderConsole(ui: ReactNode, admin: Partial<AdminApi>, role: 'player' | 'admin' = 'admin') {
  return renderScreen(
    <ConsoleContext.Provider value={{ admin: admin as AdminApi, c: adminEn }}>{ui}</ConsoleContext.Provider>,
    {},
    { session: { player: { ...PILOT, role }, loginBonus: 0 } },
  );
}

/** The rows of the table labelled `label`, as arrays of cell texts. */
function tableRows(container: HTMLElement, label: string): string[][] {
  const table = container.querySelector(`table[aria-label="${label}"]`);
  if (table === null) throw new Error(`no table "${label}" in:\n${container.innerHTML}`);
  return [...table.querySelectorAll('tr')].map((row) =>
    [...row.querySelectorAll('th, td')].map((cell) => cell.textContent ?? ''),
  );
}

const economy: Economy = {
  days: [
    {
      day: '2026-11-28',
      supply: 150000,
      flows: {
        login_bonus: { count: 10, amount: 15000 },
        purchase: { count: 2, amount: -5000 },
        market_purchase: { count: 1, amount: -2000 },
        market_sale: { count: 1, amount: 2000 },
      },
    },
    {
      day: '2026-11-29',
      supply: 140050,
      flows: {
        admin_grant: { count: 1, amount: 1000 },
        sale: { count: 3, amount: 4500 },
        purchase: { count: 1, amount: -10000 },
        market_fee: { count: 1, amount: -50 },
        admin_deduct: { count: 1, amount: -400 },
        account_closed: { count: 1, amount: -5000 },
      },
    },
  ],
  supply: 140050,
  escrow: 300,
  topHolders: [{ id: PLAYER_ID, nickname: 'orion', balance: 99000 }],
};

describe('the console door', () => {
  it('shows a player "Not allowed" and never the console', async () => {
    const dashboard = vi.fn();
    rendered = await renderConsole(
      <ConsoleDoor
        route={{ name: 'admin', section: 'dashboard' }}
        admin={{ dashboard } as unknown as AdminApi}
      />,
      {},
      'player',
    );
    await settle();
    expect(rendered.container.querySelector('h1')?.textContent).toBe('Not allowed');
    expect(byText(rendered.container, 'The operator’s console is for admins only.')).toBeDefined();
    expect(rendered.container.querySelector('.console')).toBeNull();
    expect(dashboard).not.toHaveBeenCalled();
  });

  it('lets an admin in: the console, its sections, the dashboard asked for', async () => {
    const answer: Dashboard = { intervalMs: 2000, nodes: [], total: { series: [] } };
    const dashboard = vi.fn(async () => answer);
    rendered = await renderConsole(
      <ConsoleDoor
        route={{ name: 'admin', section: 'dashboard' }}
        admin={{ dashboard } as unknown as AdminApi}
      />,
      {},
    );
    // The console is a lazily loaded chunk: wait (inside act) until it has arrived and rendered.
    const heading = (): string | undefined =>
      rendered?.container.querySelector('h1')?.textContent ?? undefined;
    for (let i = 0; i < 100 && heading() !== 'Dashboard'; i++) {
      await act(async () => {
        await new Promise((resolve) => setTimeout(resolve, 20));
      });
    }
    expect(heading()).toBe('Dashboard');
    const nav = rendered.container.querySelector('nav[aria-label="Console sections"]');
    expect([...(nav?.querySelectorAll('a') ?? [])].map((a) => a.textContent)).toEqual([
      'Dashboard',
      'Economy',
      'Players',
      'Audit log',
      'Catalog',
      'Books',
    ]);
    expect(dashboard).toHaveBeenCalled();
  });
});

describe('the economy page', () => {
  it('gives every chart an aria-label and its data as a table', async () => {
    rendered = await renderConsole(<EconomyView data={economy} />, {});
    const { container } = rendered;
    for (const title of [
      adminEn.economy.supplyChart,
      adminEn.economy.flowChart,
      adminEn.economy.tradesChart,
    ]) {
      expect(container.querySelector(`[role="img"][aria-label="Chart: ${title}"]`), title).not.toBeNull();
    }
    expect(tableRows(container, `Table: ${adminEn.economy.supplyChart}`)).toEqual([
      ['Day', 'Supply'],
      ['2026-11-28', '1500.00'],
      ['2026-11-29', '1400.50'],
    ]);
    const flows = tableRows(container, `Table: ${adminEn.economy.flowChart}`);
    expect(flows[0]?.slice(0, 4)).toEqual(['Day', 'Created', 'Destroyed', 'Net']);
    // Created: login bonus; then admin grant + shop sale. Destroyed (drawn below zero): purchase; then
    // purchase + fee + deduction + closed account. Market moves count for neither.
    expect(flows[1]?.slice(0, 4)).toEqual(['2026-11-28', '150.00', '-50.00', '100.00']);
    expect(flows[2]?.slice(0, 4)).toEqual(['2026-11-29', '55.00', '-154.50', '-99.50']);
    expect(tableRows(container, `Table: ${adminEn.economy.tradesChart}`)).toEqual([
      ['Day', 'purchase', 'sale', 'market purchase'],
      ['2026-11-28', '2', '0', '1'],
      ['2026-11-29', '1', '3', '0'],
    ]);
    expect(tableRows(container, 'Top holders')).toEqual([
      ['Rank', 'Pilot', 'Balance'],
      ['1', 'orion', '990.00'],
    ]);
  });
});

describe('the dashboard', () => {
  it('shows each node with its Postgres and Redis badges and the latest figures', async () => {
    const point = (t: string, players: number) => ({
      t,
      playersOnline: players,
      requestsPerSecond: 12.5,
      moneyMovesPerSecond: 1,
      battlesPerSecond: 0.5,
      errorsPerSecond: 0,
      p50Ms: 3,
      p99Ms: 40,
    });
    const answer: Dashboard = {
      intervalMs: 2000,
      nodes: [
        {
          nodeId: 'n1',
          self: true,
          startedAt: '2026-11-29T10:00:00.000Z',
          postgres: 'ok',
          redis: 'ok',
          series: [point('2026-11-29T12:00:00.000Z', 3), point('2026-11-29T12:00:02.000Z', 4)],
        },
        {
          nodeId: 'n2',
          self: false,
          startedAt: '2026-11-29T10:00:00.000Z',
          postgres: 'down',
          redis: 'off',
          series: [point('2026-11-29T12:00:01.000Z', 7)],
        },
      ],
      total: { series: [point('2026-11-29T12:00:00.000Z', 10), point('2026-11-29T12:00:02.000Z', 11)] },
    };
    rendered = await renderConsole(<DashboardPage />, { dashboard: vi.fn(async () => answer) });
    await settle();
    const nodes = tableRows(rendered.container, 'Nodes');
    expect(nodes[1]?.slice(0, 4)).toEqual([
      'n1 (this node)up since 2026-11-29 10:00 UTC',
      'Postgres: ok',
      'Redis: ok',
      '4',
    ]);
    expect(nodes[2]?.slice(0, 4)).toEqual([
      'n2up since 2026-11-29 10:00 UTC',
      'Postgres: down',
      'Redis: off',
      '7',
    ]);
    expect(tableRows(rendered.container, 'Table: Players online — All nodes')).toEqual([
      ['Time', 'Players online'],
      ['12:00:00', '10'],
      ['12:00:02', '11'],
    ]);
  });
});

describe('a player page', () => {
  const detail = {
    player: {
      id: PLAYER_ID,
      nickname: 'orion',
      role: 'player' as const,
      balance: 1000,
      rating: 1000,
      wins: 0,
      losses: 0,
      power: 0,
      itemCount: 0,
      createdAt: '2026-11-29T10:00:00.000Z',
      banned: null,
      deletedAt: null,
    },
    sessions: { active: 1, total: 3 },
    items: [],
    listings: [],
  };

  function fakeAdmin() {
    return {
      playerDetail: vi.fn(async () => detail),
      playerTransactions: vi.fn(async () => ({ transactions: [], nextCursor: null })),
      playerBattles: vi.fn(async () => ({ battles: [], nextCursor: null })),
      deductCredits: vi.fn(),
    };
  }

  async function type(input: HTMLInputElement | HTMLTextAreaElement, value: string): Promise<void> {
    await act(async () => {
      const setter = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(input), 'value')?.set;
      setter?.call(input, value);
      input.dispatchEvent(new Event('input', { bubbles: true }));
    });
  }

  it('deducts the credits typed as minor units, with the reason, and shows the API’s refusal', async () => {
    const admin = fakeAdmin();
    admin.deductCredits.mockRejectedValueOnce(
      new ApiError(409, 'INSUFFICIENT_FUNDS', 'Not enough credits: need 12.50 credits, have 10.00', {
        details: { balance: 1000, required: 1250 },
      }),
    );
    rendered = await renderConsole(<PlayerPage id={PLAYER_ID} />, admin);
    await settle();
    const { container } = rendered;
    expect(container.querySelector('h1')?.textContent).toBe('Pilot orion');
    await act(async () => button(container, 'Deduct credits').click());
    const dialog = container.querySelector('dialog');
    if (dialog === null) throw new Error('no dialog');

    // A reason is required, and an amount must be credits with up to two decimals.
    await type(dialog.querySelector<HTMLInputElement>('input[name="amount"]')!, '12.505');
    await act(async () => dialog.querySelector('form')!.requestSubmit());
    expect(dialog.querySelector('[role="alert"]')?.textContent).toBe(adminEn.player.amountProblem.format);
    await type(dialog.querySelector<HTMLInputElement>('input[name="amount"]')!, '12.50');
    await act(async () => dialog.querySelector('form')!.requestSubmit());
    expect(dialog.querySelector('[role="alert"]')?.textContent).toBe(adminEn.reasonProblem);
    expect(admin.deductCredits).not.toHaveBeenCalled();

    await type(dialog.querySelector('textarea')!, '  chargeback  ');
    await act(async () => dialog.querySelector('form')!.requestSubmit());
    await settle();
    expect(admin.deductCredits).toHaveBeenCalledWith(PLAYER_ID, { amount: 1250, reason: 'chargeback' });
    expect(dialog.querySelector('[role="alert"]')?.textContent).toBe(
      'Refused (409 INSUFFICIENT_FUNDS): Not enough credits: need 12.50 credits, have 10.00',
    );
    expect(container.querySelector('dialog')).not.toBeNull();
  });
});
