/**
 * The slice of `ApiClient` (@metagameplay/client) the console uses. Screens depend on this interface
 * only, so their logic runs against a fake in unit tests; the real client satisfies it structurally.
 */
import type {
  BuyListingResponse,
  BuyResponse,
  ListingPage,
  ListingResponse,
  MyListings,
  LeaderboardPage,
  LobbyPage,
  MatchmakingQueued,
  PublicPlayer,
  OwnedItemPage,
  PrivatePlayer,
  SellResponse,
  SessionResponse,
  ShopPage,
  TransactionPage,
} from '@metagameplay/protocol';
import type { VerifiedBattle } from './logic/battles';

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
  player(id: string): Promise<PublicPlayer>;
  // the market between players
  marketListings(
    query?: PageParams & { itemId?: number; search?: string; sort?: 'price' | 'newest' },
  ): Promise<ListingPage>;
  myListings(): Promise<MyListings>;
  createListing(
    itemId: number,
    price: number,
    options?: { idempotencyKey?: string },
  ): Promise<ListingResponse>;
  cancelListing(listingId: string, options?: { idempotencyKey?: string }): Promise<ListingResponse>;
  buyListing(
    listingId: string,
    options?: { expectedPrice?: number; idempotencyKey?: string },
  ): Promise<BuyListingResponse>;
  // battles: every battle comes back re-checked with verifyBattle
  challenge(
    opponentId: string,
    stake: number,
    options?: { clientSeed?: string; idempotencyKey?: string },
  ): Promise<{ battle: VerifiedBattle }>;
  accept(
    battleId: string,
    options?: { clientSeed?: string; idempotencyKey?: string },
  ): Promise<{ battle: VerifiedBattle }>;
  decline(battleId: string, options?: { idempotencyKey?: string }): Promise<{ battle: VerifiedBattle }>;
  cancel(battleId: string, options?: { idempotencyKey?: string }): Promise<{ battle: VerifiedBattle }>;
  listBattles(query?: PageParams): Promise<{ battles: VerifiedBattle[]; nextCursor: string | null }>;
  lobby(query?: PageParams): Promise<LobbyPage>;
  leaderboard(query?: PageParams): Promise<LeaderboardPage>;
  joinMatchmaking(stake: number): Promise<MatchmakingQueued>;
  leaveMatchmaking(): Promise<void>;
}
