/** The catalog file (ITEMS_FILE): what it accepts, converts exactly, and refuses in one line. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, defaultItemsFile } from '../src/config';
import { readCatalogFile } from '../src/features/shop/catalog-file';

describe('readCatalogFile', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'mg-catalog-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function catalog(name: string, content: string): Promise<string> {
    const file = path.join(dir, name);
    await writeFile(file, content);
    return file;
  }

  async function refusal(file: string): Promise<ConfigError> {
    const error: unknown = await readCatalogFile(file).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigError);
    const configErr = error as ConfigError;
    expect(configErr.variable).toBe('ITEMS_FILE');
    expect(configErr.message).toContain('ITEMS_FILE');
    expect(configErr.message).not.toContain('\n');
    return configErr;
  }

  it('reads the shipped catalog: 15 items, prices in minor units', async () => {
    const items = await readCatalogFile(defaultItemsFile);
    expect(items).toHaveLength(15);
    expect(items[0]).toEqual({
      name: 'Корабль класса Лёгкий крейсер',
      names: { en: 'Light cruiser', ru: 'Корабль класса Лёгкий крейсер' },
      price: 150075,
      power: 60,
    });
    expect(items.every((i) => i.names.en && i.names.ru)).toBe(true);
    expect(items.find((i) => i.name === 'Корабль класса Дредноут')?.price).toBe(450030);
    expect(items.find((i) => i.name === 'Боевой шлем')?.price).toBe(5099);
  });

  it('accepts string prices and a missing power (0)', async () => {
    const file = await catalog(
      'ok.json',
      '[{"name":"Probe","price":"12.5"},{"name":"Drone","price":3,"power":7}]',
    );
    expect(await readCatalogFile(file)).toEqual([
      { name: 'Probe', names: {}, price: 1250, power: 0 },
      { name: 'Drone', names: {}, price: 300, power: 7 },
    ]);
  });

  it('refuses a missing file and invalid JSON', async () => {
    expect((await refusal(path.join(dir, 'missing.json'))).message).toContain('does not exist');
    expect((await refusal(await catalog('broken.json', '[{"name":'))).message).toContain('not valid JSON');
    await refusal(await catalog('object.json', '{"name":"X","price":1}'));
  });

  it.each([
    ['a duplicate name', '[{"name":"X","price":1,"power":1},{"name":"X","price":2,"power":2}]', 'entry 1'],
    ['a missing name', '[{"price":1,"power":1}]', 'entry 0'],
    ['a blank name', '[{"name":"  ","price":1,"power":1}]', 'entry 0'],
    ['a name over 100 characters', `[{"name":"${'n'.repeat(101)}","price":1,"power":1}]`, 'entry 0'],
    ['a price with three decimals', '[{"name":"X","price":1.234,"power":1}]', 'entry 0'],
    ['a negative price', '[{"name":"X","price":-1,"power":1}]', 'entry 0'],
    ['a missing price', '[{"name":"X","power":1}]', 'entry 0'],
    ['a price of the wrong type', '[{"name":"X","price":true,"power":1}]', 'entry 0'],
    ['a fractional power', '[{"name":"X","price":1,"power":1.5}]', 'entry 0'],
    ['a negative power', '[{"name":"X","price":1,"power":-3}]', 'entry 0'],
    ['a power as a string', '[{"name":"X","price":1,"power":"9"}]', 'entry 0'],
    ['a power over 1000000', '[{"name":"X","price":1,"power":1000001}]', 'entry 0'],
    ['an entry that is not an object', '[{"name":"X","price":1,"power":1}, 5]', 'entry 1'],
  ])('refuses %s, naming ITEMS_FILE and the entry', async (_label, content, entry) => {
    const file = await catalog(`bad-${Math.random().toString(36).slice(2)}.json`, content);
    const error = await refusal(file);
    expect(error.message).toContain(entry);
    expect(error.message).toContain(file);
  });
});
