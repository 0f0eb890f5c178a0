/**
 * What an operator types into the console's action dialogs, checked before anything is sent: an
 * amount in credits (to minor units, exactly, through the protocol's parseCredits), a reason (1..500
 * characters, API.md "The operator's console"), a ban's end (a future moment).
 */
import { parseCredits } from '@metagameplay/protocol';

/** The largest grant or deduction the API takes, in minor units (ten billion credits). */
export const MAX_ADMIN_AMOUNT = 1_000_000_000_000;
export const MAX_REASON_LENGTH = 500;

export type AmountInput =
  | { ok: true; units: number }
  | { ok: false; problem: 'format' | 'zero' | 'tooLarge' };

/**
 * Credits as typed ("12", "12.5", "1500.75", " 3,25 " with a decimal comma as Russian keyboards type
 * it) to minor units; at most two decimals, more than 0, at most MAX_ADMIN_AMOUNT.
 */
export function parseAmountInput(text: string): AmountInput {
  const normalized = text.trim().replace(/\s+/g, '').replace(',', '.');
  if (normalized === '') return { ok: false, problem: 'format' };
  const units = parseCredits(normalized);
  if (units === null) {
    // parseCredits refuses amounts above MAX_MONEY as well: say "too large" for a well-formed number.
    return /^\d+(\.\d{1,2})?$/.test(normalized)
      ? { ok: false, problem: 'tooLarge' }
      : { ok: false, problem: 'format' };
  }
  if (units === 0) return { ok: false, problem: 'zero' };
  if (units > MAX_ADMIN_AMOUNT) return { ok: false, problem: 'tooLarge' };
  return { ok: true, units };
}

/** The reason as sent (trimmed), or null when it is empty or longer than 500 characters. */
export function reasonInput(text: string): string | null {
  const trimmed = text.trim();
  const length = [...trimmed].length;
  return length >= 1 && length <= MAX_REASON_LENGTH ? trimmed : null;
}

/**
 * A ban's end from an `<input type="datetime-local">` value (the operator's local time) as the ISO
 * instant the API takes, or null when it is not a moment after `now`.
 */
export function banUntilInput(local: string, now: number): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/.test(local)) return null;
  const at = new Date(local).getTime();
  return Number.isFinite(at) && at > now ? new Date(at).toISOString() : null;
}
