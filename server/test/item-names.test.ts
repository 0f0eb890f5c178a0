/**
 * ItemNames, the names the node keeps for the shop's answers: a catalog change drops them (and a load that
 * began before the change is not kept), they are reloaded after a minute, and an unknown id reloads them at
 * most once a second. The database is a stand-in that counts its reads and answers when told.
 */
import { describe, expect, it } from 'vitest';
import { ItemNames } from '../src/features/shop/item-names';

type Row = { id: number; name: string; names: Record<string, string> };

function setUp() {
  let rows: Row[] = [{ id: 1, name: 'Light cruiser', names: { ru: 'Лёгкий крейсер' } }];
  const pending: (() => void)[] = [];
  let reads = 0;
  let hold = false;
  let now = 1_000_000;
  const handlers: (() => void)[] = [];
  const db = {
    select: () => ({
      from: () => {
        reads += 1;
        const answer = rows;
        return new Promise<Row[]>((resolve) => {
          if (hold) pending.push(() => resolve(answer));
          else resolve(answer);
        });
      },
    }),
  };
  const names = new ItemNames({
    database: { db } as never,
    events: { subscribe: (_channel, handler) => (handlers.push(() => handler({} as never)), () => {}) },
    now: () => now,
  });
  return {
    names,
    reads: () => reads,
    setRows: (next: Row[]) => (rows = next),
    hold: (on: boolean) => (hold = on),
    release: () => pending.splice(0).forEach((go) => go()),
    changed: () => handlers.forEach((h) => h()),
    advance: (ms: number) => (now += ms),
  };
}

describe('ItemNames', () => {
  it('answers in the language asked for, else the catalog name; null for an unknown id', async () => {
    const t = setUp();
    expect(await t.names.nameOf(1, 'ru')).toBe('Лёгкий крейсер');
    expect(await t.names.nameOf(1, 'en')).toBe('Light cruiser');
    expect(await t.names.nameOf(99, 'en')).toBeNull();
    expect(t.reads()).toBe(1);
  });

  it('drops the names on catalog.changed, and does not keep a load that began before the change', async () => {
    const t = setUp();
    t.hold(true);
    const early = t.names.nameOf(1, 'en'); // its read is out, with the old name
    t.setRows([{ id: 1, name: 'Heavy cruiser', names: {} }]);
    t.changed();
    t.release();
    expect(await early).toBe('Light cruiser'); // answered with what it read, but not kept
    t.hold(false);
    expect(await t.names.nameOf(1, 'en')).toBe('Heavy cruiser');
    expect(t.reads()).toBe(2);
  });

  it('reloads after a minute even without an event, and on an unknown id at most once a second', async () => {
    const t = setUp();
    await t.names.nameOf(1, 'en');
    t.setRows([
      { id: 1, name: 'Light cruiser', names: {} },
      { id: 2, name: 'Dreadnought', names: {} },
    ]);
    expect(await t.names.nameOf(2, 'en')).toBeNull(); // unknown, but the names are fresh: no reload
    t.advance(1_001);
    expect(await t.names.nameOf(2, 'en')).toBe('Dreadnought'); // an item added since
    expect(t.reads()).toBe(2);
    t.setRows([{ id: 1, name: 'Renamed', names: {} }]);
    t.advance(60_001);
    expect(await t.names.nameOf(1, 'en')).toBe('Renamed');
    expect(t.reads()).toBe(3);
  });
});
