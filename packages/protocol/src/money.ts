/**
 * Money is an integer number of minor units: 1 credit = 100 units. These helpers convert between the
 * catalog's decimal credit strings and units exactly, never through floating point arithmetic.
 */
export const UNITS_PER_CREDIT = 100;

/** The largest amount the API accepts anywhere: keeps every sum far inside Number.MAX_SAFE_INTEGER. */
export const MAX_MONEY = 1_000_000_000_000_000; // 10^13 credits

// Up to 14 whole digits, so that MAX_MONEY itself (10^13 credits) parses; larger amounts are refused below.
const CREDITS_PATTERN = /^(0|[1-9]\d{0,13})(?:\.(\d{1,2}))?$/;

/**
 * Parses a non-negative credit amount written with up to two decimals ("1500.75", 50, "0.5") into units.
 * A number is taken through its shortest decimal representation, which is exact for two decimals.
 * Returns null when the value is not such an amount, or is above MAX_MONEY.
 */
export function parseCredits(value: string | number): number | null {
  const text = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : value.trim();
  const match = CREDITS_PATTERN.exec(text);
  if (!match) return null;
  const whole = Number(match[1]);
  const fraction = Number((match[2] ?? '').padEnd(2, '0'));
  const units = whole * UNITS_PER_CREDIT + fraction;
  return units > MAX_MONEY ? null : units;
}

/** Formats units as credits with exactly two decimals, e.g. 150075 → "1500.75", -5 → "-0.05". */
export function formatCredits(units: number): string {
  const sign = units < 0 ? '-' : '';
  const abs = Math.abs(Math.trunc(units));
  const whole = Math.floor(abs / UNITS_PER_CREDIT);
  const fraction = abs % UNITS_PER_CREDIT;
  return `${sign}${whole}.${String(fraction).padStart(2, '0')}`;
}
