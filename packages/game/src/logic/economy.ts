/**
 * The operator's view of the economy (API.md "The operator's console", `economyDay`): which ledger
 * types create credits and which destroy them, and a day's flows folded into those two sums. Pure, so
 * the console's charts and their tables show the same figures and a test pins the grouping down.
 */

/** Credits that enter the economy: the login bonus, an admin's grant, the shop buying an item back. */
export const CREATED_TYPES = ['login_bonus', 'admin_grant', 'sale'] as const;
/** Credits that leave it: a shop purchase, the market's fee, an admin's deduction, a closed account. */
export const DESTROYED_TYPES = ['purchase', 'market_fee', 'admin_deduct', 'account_closed'] as const;
/** The trades counted per day on the economy page: shop purchases, shop sales, market purchases. */
export const TRADE_TYPES = ['purchase', 'sale', 'market_purchase'] as const;

export type CreatedType = (typeof CREATED_TYPES)[number];
export type DestroyedType = (typeof DESTROYED_TYPES)[number];
export type TradeType = (typeof TRADE_TYPES)[number];

/** One ledger type's rows of a day: how many, and the sum of their signed amounts (minor units). */
export interface Flow {
  count: number;
  amount: number;
}

/** A day of `GET /admin/economy`: the supply at its end and the flows by ledger type. */
export interface EconomyDayInput {
  day: string;
  supply: number;
  flows: Readonly<Record<string, Flow | undefined>>;
}

export interface MoneyFlow {
  /** Credits created that day, in minor units (≥ 0). */
  created: number;
  /** Credits destroyed that day, in minor units, as a positive number (≥ 0). */
  destroyed: number;
  /** created − destroyed. */
  net: number;
  createdBy: Record<CreatedType, number>;
  destroyedBy: Record<DestroyedType, number>;
}

/**
 * A day's flows grouped into created and destroyed credits. The ledger signs amounts (a purchase is
 * negative), so each type counts by its magnitude; every other type (market sales and purchases,
 * battles) moves credits between pilots and counts for neither.
 */
export function moneyFlow(flows: Readonly<Record<string, Flow | undefined>>): MoneyFlow {
  const size = (type: string): number => Math.abs(flows[type]?.amount ?? 0);
  const createdBy = Object.fromEntries(CREATED_TYPES.map((type) => [type, size(type)])) as Record<
    CreatedType,
    number
  >;
  const destroyedBy = Object.fromEntries(DESTROYED_TYPES.map((type) => [type, size(type)])) as Record<
    DestroyedType,
    number
  >;
  const created = CREATED_TYPES.reduce((sum, type) => sum + createdBy[type], 0);
  const destroyed = DESTROYED_TYPES.reduce((sum, type) => sum + destroyedBy[type], 0);
  return { created, destroyed, net: created - destroyed, createdBy, destroyedBy };
}

/** How many rows of each trade type a day had. */
export function tradeCounts(flows: Readonly<Record<string, Flow | undefined>>): Record<TradeType, number> {
  return Object.fromEntries(TRADE_TYPES.map((type) => [type, flows[type]?.count ?? 0])) as Record<
    TradeType,
    number
  >;
}

/** The economy page's series, one entry per day (oldest first, as the API sends them). */
export interface EconomySeries {
  days: string[];
  /** Each day's start, in seconds since the epoch (UTC), for time axes. */
  times: number[];
  supply: number[];
  created: number[];
  destroyed: number[];
  trades: Record<TradeType, number[]>;
}

export function economySeries(days: readonly EconomyDayInput[]): EconomySeries {
  const flows = days.map((day) => moneyFlow(day.flows));
  const counts = days.map((day) => tradeCounts(day.flows));
  return {
    days: days.map((day) => day.day),
    times: days.map((day) => Date.parse(`${day.day}T00:00:00Z`) / 1000),
    supply: days.map((day) => day.supply),
    created: flows.map((flow) => flow.created),
    destroyed: flows.map((flow) => flow.destroyed),
    trades: Object.fromEntries(
      TRADE_TYPES.map((type) => [type, counts.map((count) => count[type])]),
    ) as Record<TradeType, number[]>,
  };
}
