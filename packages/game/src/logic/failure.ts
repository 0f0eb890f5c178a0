/**
 * What a failed call means to the player. Failures are recognised by shape rather than `instanceof`
 * (an `ApiError` has a numeric `status` and a string `code`; a `NetworkError` has `kind`), so this
 * module needs no client instance and fakes in tests are plain objects.
 */
import { formatCredits } from '@metagameplay/protocol';
import type { Messages } from '../i18n/index';

export interface ApiFailure {
  status: number;
  code: string;
  details?: unknown;
  retryAfterMs?: number;
}

export function asApiFailure(error: unknown): ApiFailure | null {
  if (typeof error !== 'object' || error === null) return null;
  const { status, code } = error as { status?: unknown; code?: unknown };
  return typeof status === 'number' && typeof code === 'string' ? (error as ApiFailure) : null;
}

function isNetworkFailure(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const kind = (error as { kind?: unknown }).kind;
  return kind === 'timeout' || kind === 'network';
}

export function failureCode(error: unknown): string | null {
  return asApiFailure(error)?.code ?? null;
}

/**
 * - `offline`: the galaxy cannot be reached (no answer, or the server says it is unavailable) — the
 *   player is offered to retry or quit;
 * - `session-expired`: an authenticated call was refused — back to login;
 * - `rejected`: the server said no for a reason the player can act on — show a message.
 */
export type FailureKind = 'offline' | 'session-expired' | 'rejected';

export function classifyFailure(error: unknown): FailureKind {
  if (isNetworkFailure(error)) return 'offline';
  const api = asApiFailure(error);
  if (api === null) return 'rejected';
  if (api.code === 'UNAUTHENTICATED') return 'session-expired';
  if (api.code === 'SERVICE_UNAVAILABLE' || api.status === 502 || api.status === 503 || api.status === 504) {
    return 'offline';
  }
  return 'rejected';
}

/** An integer money field of an error's `details`, or null when absent or malformed. */
export function moneyDetail(details: unknown, field: string): number | null {
  if (typeof details !== 'object' || details === null) return null;
  const value = (details as Record<string, unknown>)[field];
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : null;
}

/** A friendly line for a rejected call, in the game's voice; never a stack trace or raw message. */
export function failureMessage(t: Messages, error: unknown): string {
  const api = asApiFailure(error);
  if (api === null) return t.errors.unexpected(isNetworkFailure(error) ? 'NETWORK' : 'CLIENT');
  switch (api.code) {
    case 'ALREADY_OWNED':
      return t.errors.alreadyOwned;
    case 'INSUFFICIENT_FUNDS': {
      const need = moneyDetail(api.details, 'required');
      const have = moneyDetail(api.details, 'balance');
      return need !== null && have !== null
        ? t.errors.insufficientFunds(formatCredits(need), formatCredits(have))
        : t.errors.insufficientFundsPlain;
    }
    case 'PRICE_CHANGED': {
      const price = moneyDetail(api.details, 'price');
      return price !== null ? t.errors.priceChanged(formatCredits(price)) : t.errors.priceChangedPlain;
    }
    case 'NOT_OWNED':
      return (api.details as { listed?: unknown } | undefined)?.listed === true
        ? t.errors.alreadyListed
        : t.errors.notOwned;
    case 'OWN_LISTING':
      return t.errors.ownListing;
    case 'LISTING_NOT_ACTIVE':
      return t.errors.listingNotActive;
    case 'TOO_MANY_LISTINGS':
      return t.errors.tooManyListings;
    case 'ITEM_NOT_FOUND':
      return t.errors.itemNotFound;
    case 'INVALID_CREDENTIALS':
      return t.errors.invalidCredentials;
    case 'PLAYER_NOT_FOUND':
      return t.errors.playerNotFound;
    case 'PLAYER_BANNED': {
      const details = api.details as { reason?: unknown; until?: unknown } | undefined;
      const reason = typeof details?.reason === 'string' ? details.reason : '';
      const until = typeof details?.until === 'string' ? details.until : null;
      return t.errors.banned(reason, until === null ? null : `${until.slice(0, 16).replace('T', ' ')} UTC`);
    }
    case 'NICKNAME_TAKEN':
      return t.errors.nicknameTaken;
    case 'VALIDATION_ERROR':
      return t.errors.validation;
    case 'OPPONENT_OFFLINE':
      return t.errors.opponentOffline;
    case 'BATTLE_NOT_PENDING':
      return t.errors.battleNotPending;
    case 'INVALID_OPPONENT':
      return t.errors.invalidOpponent;
    case 'TOO_MANY_CHALLENGES':
      return t.errors.tooManyChallenges;
    case 'PLAYER_OFFLINE':
      return t.errors.playerOffline;
    case 'RATE_LIMITED':
      return api.retryAfterMs !== undefined && api.retryAfterMs > 0
        ? t.errors.rateLimited(Math.ceil(api.retryAfterMs / 1000))
        : t.errors.rateLimitedPlain;
    default:
      return t.errors.unexpected(api.code);
  }
}
