// @vitest-environment happy-dom
/**
 * The shop screen's non-trivial state with a fake API: keyset paging forward and back (the cursor
 * stack), search as you type sent once typing pauses (and only the last answer shown), owned items
 * marked and unaffordable ones refused before sending, and a PRICE_CHANGED answer shown as such with
 * the new price in the row.
 */
import { ApiError } from '@metagameplay/client';
import type { ShopItem, ShopPage } from '@metagameplay/protocol';
import { act } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SEARCH_DEBOUNCE_MS, ShopScreen } from '../src/screens/shop-screen';
import { button, byText, renderScreen, settle } from './helpers/render';

const catalog: ShopItem[] = Array.from({ length: 30 }, (_, i) => ({
  id: i + 1,
  name: `Item ${String(i + 1).padStart(2, '0')}`,
  price: (i + 1) * 1000,
  power: i + 1,
}));

/** Pages of 12 by id; the cursor is the last id. */
function page(query: { limit?: number; cursor?: string; search?: string } = {}): ShopPage {
  const matching = catalog.filter((item) => !query.search || item.name.includes(query.search));
  const after = query.cursor === undefined ? 0 : Number(query.cursor);
  const items = matching.filter((item) => item.id > after).slice(0, query.limit ?? 12);
  const last = items.at(-1);
  const more = last !== undefined && matching.some((item) => item.id > last.id);
  return { items, nextCursor: more ? String(last.id) : null };
}

function fakeApi() {
  return {
    shopItems: vi.fn(async (query?: { limit?: number; cursor?: string; search?: string }) => page(query)),
    myItems: vi.fn(async () => ({
      items: [{ ...catalog[1]!, sellPrice: 2000, acquiredAt: '2026-11-30T00:00:00Z' }],
      nextCursor: null,
    })),
    buy: vi.fn(),
    me: vi.fn(),
  };
}

const names = (container: HTMLElement) =>
  [...container.querySelectorAll('.item-name')].map((e) => e.textContent);

describe('ShopScreen', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  });
  afterEach(() => {
    vi.useRealTimers();
    document.body.innerHTML = '';
  });

  async function open(api = fakeApi()) {
    const view = await renderScreen(<ShopScreen />, api);
    await act(async () => {
      vi.advanceTimersByTime(SEARCH_DEBOUNCE_MS);
    });
    await settle();
    return { api, view };
  }

  it('pages forward and back through server cursors', async () => {
    const { api, view } = await open();
    expect(names(view.container)).toHaveLength(12);
    expect(names(view.container)[0]).toBe('Item 01');
    await act(async () => button(view.container, 'Next →').click());
    await settle();
    expect(names(view.container)[0]).toBe('Item 13');
    expect(byText(view.container, 'Page 2')).toBeDefined();
    await act(async () => button(view.container, 'Next →').click());
    await settle();
    expect(names(view.container)).toEqual(['Item 25', 'Item 26', 'Item 27', 'Item 28', 'Item 29', 'Item 30']);
    expect(button(view.container, 'Next →').disabled).toBe(true);
    await act(async () => button(view.container, '← Previous').click());
    await settle();
    expect(names(view.container)[0]).toBe('Item 13');
    await act(async () => button(view.container, '← Previous').click());
    await settle();
    expect(names(view.container)[0]).toBe('Item 01');
    expect(button(view.container, '← Previous').disabled).toBe(true);
    expect(api.shopItems.mock.calls.map(([q]) => q?.cursor ?? null)).toEqual([null, '12', '24', '12', null]);
  });

  it('searches once typing pauses, from the first page, with the trimmed text', async () => {
    const { api, view } = await open();
    const input = view.container.querySelector<HTMLInputElement>('input[type=search]')!;
    const type = async (text: string) => {
      await act(async () => {
        const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
        setter.call(input, text);
        input.dispatchEvent(new Event('input', { bubbles: true }));
      });
      await act(async () => {
        vi.advanceTimersByTime(100);
      });
    };
    await type('I');
    await type('It');
    await type('Item 2 ');
    expect(api.shopItems).toHaveBeenCalledTimes(1);
    await act(async () => {
      vi.advanceTimersByTime(SEARCH_DEBOUNCE_MS);
    });
    await settle();
    expect(api.shopItems).toHaveBeenCalledTimes(2);
    expect(api.shopItems.mock.calls[1]![0]).toEqual({ limit: 12, search: 'Item 2' });
    expect(names(view.container)).toEqual([
      'Item 20',
      'Item 21',
      'Item 22',
      'Item 23',
      'Item 24',
      'Item 25',
      'Item 26',
      'Item 27',
      'Item 28',
      'Item 29',
    ]);
  });

  it('marks owned items, dims and refuses unaffordable ones without calling the server', async () => {
    const { api, view } = await open();
    const rows = [...view.container.querySelectorAll('li')];
    expect(rows[1]!.className).toContain('owned');
    expect(rows[1]!.textContent).toContain('Owned');
    // The pilot has 50.00 credits: item 6 costs 60.00.
    expect(rows[5]!.className).toContain('dim');
    expect(rows[4]!.className).not.toContain('dim');
    await act(async () => button(view.container, 'Buy Item 06').click());
    expect(view.notices.at(-1)).toEqual({
      text: 'Not enough credits: it costs 60.00, you have 50.00.',
      tone: 'bad',
    });
    expect(api.buy).not.toHaveBeenCalled();
  });

  it('asks before buying, with the balance after; a changed price is shown as such and lands in the row', async () => {
    const api = fakeApi();
    api.buy.mockRejectedValueOnce(
      new ApiError(409, 'PRICE_CHANGED', 'price changed', { details: { price: 4500, expectedPrice: 3000 } }),
    );
    const { view } = await open(api);
    await act(async () => button(view.container, 'Buy Item 03').click());
    const dialog = view.container.querySelector('dialog')!;
    expect(dialog.textContent).toContain('Buy "Item 03" for 30.00 credits? Balance after: 20.00 credits.');
    await act(async () => button(dialog, 'Buy').click());
    await settle();
    expect(api.buy).toHaveBeenCalledWith(3, { expectedPrice: 3000 });
    expect(view.notices.at(-1)).toEqual({
      text: 'The price has just changed to 45.00 credits — look again before buying.',
      tone: 'bad',
    });
    const row = [...view.container.querySelectorAll('li')][2]!;
    expect(row.textContent).toContain('45.00 cr');
    expect(view.player().balance).toBe(5000);
  });

  it('a confirmed purchase updates the balance and marks the item owned', async () => {
    const api = fakeApi();
    api.buy.mockResolvedValueOnce({
      balance: 4000,
      item: { ...catalog[0]!, sellPrice: 1000, acquiredAt: '2026-11-30T00:00:00Z' },
      transactionId: '7',
    });
    const { view } = await open(api);
    await act(async () => button(view.container, 'Buy Item 01').click());
    await act(async () => button(view.container.querySelector('dialog')!, 'Buy').click());
    await settle();
    expect(view.player()).toMatchObject({ balance: 4000, itemCount: 1, power: 1 });
    expect(view.notices.at(-1)?.text).toBe(
      'Item bought — you grow stronger! "Item 01" is yours. Balance: 40.00 credits.',
    );
    expect([...view.container.querySelectorAll('li')][0]!.className).toContain('owned');
  });
});
