/**
 * The slice of `ApiClient` (@metagameplay/client) the console uses. Screens depend on this interface
 * only, so their logic runs against a fake in unit tests; the real client satisfies it structurally.
 */
import type {
  BuyResponse,
  OwnedItemPage,
  PrivatePlayer,
  SellResponse,
  SessionResponse,
  ShopPage,
  TransactionPage,
} from '@metagameplay/protocol';

export interface PageParams {
  limit?: number;
  cursor?: string;
}

export interface GameApi {
  token: string | null;
  register(nickname: string, password: string): Promise<SessionResponse>;
  login(nickname: string, password: string): Promise<SessionResponse>;
  logout(): Promise<void>;
  me(): Promise<PrivatePlayer>;
  myItems(query?: PageParams): Promise<OwnedItemPage>;
  transactions(query?: PageParams): Promise<TransactionPage>;
  sell(itemId: number, options?: { idempotencyKey?: string }): Promise<SellResponse>;
  shopItems(query?: PageParams & { search?: string }): Promise<ShopPage>;
  buy(itemId: number, options?: { expectedPrice?: number; idempotencyKey?: string }): Promise<BuyResponse>;
}
