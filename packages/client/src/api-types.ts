/** What the API client takes and gives beyond the protocol's own types: its options, queries and answers. */
import type {
  CreateItemBody,
  GrantBody,
  GrantResponse,
  ItemResponse,
  UpdateItemBody,
} from '@metagameplay/protocol';
import type { AdminConsoleApi, OptionalReasonBody } from './admin-console';
import type { CheckedBattle } from './checked-battle';
import type { RetryInfo, RetryPolicy } from './retry';

export interface ApiClientOptions {
  /** Server root, e.g. 'http://127.0.0.1:8080' (without /api/v1). */
  baseUrl: string;
  token?: string | null;
  /** Per attempt, including reading the body. Default 8000. */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  fetch?: typeof fetch;
  onRetry?: (info: RetryInfo) => void;
  sleep?: (ms: number) => Promise<void>;
  /** Jitter source in [0, 1). Default Math.random. */
  random?: () => number;
  /** Default: a random UUID. */
  newIdempotencyKey?: () => string;
  /** The player's language (`en`, `ru`), sent as Accept-Language: item names come back in it. */
  language?: string;
  /** The client seed sent with a challenge or an accept when the caller gives none. Default: 32 random hex digits. */
  newClientSeed?: () => string;
}

export interface PageQuery {
  limit?: number;
  cursor?: string;
}

export interface ShopQuery extends PageQuery {
  search?: string;
}

export interface MarketQuery extends PageQuery {
  itemId?: number;
  search?: string;
  sort?: 'price' | 'newest';
}

export interface MoneyMoveOptions {
  /** Reuse a key to make a repeat of an earlier call (e.g. after a crash) safe; default: a fresh one. */
  idempotencyKey?: string;
}

export interface BuyOptions extends MoneyMoveOptions {
  /** Refuse with 409 PRICE_CHANGED if the catalog price is no longer this. */
  expectedPrice?: number;
}

export interface BattleMoveOptions extends MoneyMoveOptions {
  /** The provably-fair client seed (1..64 visible ASCII characters except ':'); default: a random one. */
  clientSeed?: string;
}

/** A battle answer with the battle re-checked by `verifyBattle` (see checked-battle.ts). */
export interface CheckedBattleResponse {
  battle: CheckedBattle;
}

export interface CheckedBattlePage {
  battles: CheckedBattle[];
  nextCursor: string | null;
}

/** What the console's item calls send besides name, price and power (API.md "The operator's console"). */
export interface AdminItemExtras {
  /** Translations by language code (`en`, `ru`), replacing the old set. */
  names?: Record<string, string>;
  reason?: string;
}

export interface AdminApi extends AdminConsoleApi {
  createItem(body: CreateItemBody & AdminItemExtras): Promise<ItemResponse>;
  updateItem(id: number, body: UpdateItemBody & AdminItemExtras): Promise<ItemResponse>;
  /** Retires the item (it leaves the shop); the reason, when given, goes to the audit log. */
  deleteItem(id: number, body?: OptionalReasonBody): Promise<void>;
  grantCredits(playerId: string, body: GrantBody, options?: MoneyMoveOptions): Promise<GrantResponse>;
}
