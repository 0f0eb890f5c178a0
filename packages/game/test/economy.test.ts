/** The operator's economy: ledger types grouped into credits created and destroyed, and the day series. */
import { describe, expect, it } from 'vitest';
import { adminEn, adminRu } from '../src/admin';
import { CREATED_TYPES, DESTROYED_TYPES, economySeries, moneyFlow, tradeCounts } from '../src/logic/economy';

const flows = {
  login_bonus: { count: 3, amount: 4500 },
  admin_grant: { count: 1, amount: 10000 },
  sale: { count: 2, amount: 2500 },
  purchase: { count: 4, amount: -12000 },
  market_fee: { count: 1, amount: -50 },
  admin_deduct: { count: 1, amount: -300 },
  account_closed: { count: 1, amount: -700 },
  // Moves between pilots: neither created nor destroyed.
  market_purchase: { count: 5, amount: -1000 },
  market_sale: { count: 5, amount: 1000 },
  battle_stake: { count: 2, amount: -400 },
  battle_payout: { count: 1, amount: 400 },
  battle_refund: { count: 0, amount: 0 },
};

function keys(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [prefix];
  return Object.entries(value).flatMap(([key, inner]) => keys(inner, `${prefix}.${key}`));
}

describe('moneyFlow', () => {
  it('counts login bonus, admin grant and shop sale as created; purchase, fee, deduction, closing as destroyed', () => {
    const flow = moneyFlow(flows);
    expect(flow.created).toBe(4500 + 10000 + 2500);
    expect(flow.destroyed).toBe(12000 + 50 + 300 + 700);
    expect(flow.net).toBe(17000 - 13050);
    expect(flow.createdBy).toEqual({ login_bonus: 4500, admin_grant: 10000, sale: 2500 });
    expect(flow.destroyedBy).toEqual({
      purchase: 12000,
      market_fee: 50,
      admin_deduct: 300,
      account_closed: 700,
    });
  });

  it('leaves market and battle moves out, and reads missing types as zero', () => {
    const moves = {
      market_purchase: flows.market_purchase,
      market_sale: flows.market_sale,
      battle_stake: flows.battle_stake,
      battle_payout: flows.battle_payout,
    };
    expect(moneyFlow(moves)).toMatchObject({ created: 0, destroyed: 0, net: 0 });
    expect(moneyFlow({})).toMatchObject({ created: 0, destroyed: 0 });
  });

  it('groups the documented types and no type twice', () => {
    expect([...CREATED_TYPES].sort()).toEqual(['admin_grant', 'login_bonus', 'sale']);
    expect([...DESTROYED_TYPES].sort()).toEqual(['account_closed', 'admin_deduct', 'market_fee', 'purchase']);
    expect(CREATED_TYPES.some((type) => (DESTROYED_TYPES as readonly string[]).includes(type))).toBe(false);
  });
});

describe('economySeries', () => {
  it('turns days (oldest first) into chart series: supply, created, destroyed, trade counts', () => {
    const series = economySeries([
      { day: '2026-11-29', supply: 100000, flows },
      { day: '2026-11-30', supply: 90000, flows: { purchase: { count: 1, amount: -10000 } } },
    ]);
    expect(series.days).toEqual(['2026-11-29', '2026-11-30']);
    expect(series.times).toEqual([Date.UTC(2026, 10, 29) / 1000, Date.UTC(2026, 10, 30) / 1000]);
    expect(series.supply).toEqual([100000, 90000]);
    expect(series.created).toEqual([17000, 0]);
    expect(series.destroyed).toEqual([13050, 10000]);
    expect(series.trades).toEqual({ purchase: [4, 1], sale: [2, 0], market_purchase: [5, 0] });
    expect(tradeCounts({})).toEqual({ purchase: 0, sale: 0, market_purchase: 0 });
  });
});

describe('console texts', () => {
  it('Russian has every English key', () => {
    expect(keys(adminRu).sort()).toEqual(keys(adminEn).sort());
  });
});
