/**
 * The market between players (API.md "Market between players"): listings, their pages, and the bodies and
 * answers of listing, cancelling and buying. Prices are integer minor units like every amount.
 */
import { type Static, Type } from 'typebox';
import { Cursor, ItemId, Lang, Limit, Money, NextCursor, Timestamp, Uuid } from './common';
import { OwnedItem } from './player';

export const LISTING_STATUSES = ['active', 'sold', 'cancelled', 'expired'] as const;
export const ListingStatus = Type.Enum(LISTING_STATUSES);
export type ListingStatus = Static<typeof ListingStatus>;

/** The lowest and highest price a listing may ask, in minor units (out of these: 400). */
export const MARKET_MIN_PRICE = 1;
export const MARKET_MAX_PRICE = 100_000_000_000;
/** Active listings one pilot may hold at once (more: 409 TOO_MANY_LISTINGS). */
export const MARKET_MAX_ACTIVE_LISTINGS = 20;

export const ListingPrice = Type.Integer({
  minimum: MARKET_MIN_PRICE,
  maximum: MARKET_MAX_PRICE,
  description: 'Integer minor units (1 credit = 100 units), 1..100000000000',
});

export const Listing = Type.Object(
  {
    id: Uuid,
    itemId: ItemId,
    itemName: Type.String({ description: "The item's name in the asked language" }),
    price: Money,
    sellerId: Uuid,
    sellerNickname: Type.String(),
    status: ListingStatus,
    createdAt: Timestamp,
    expiresAt: Timestamp,
  },
  { title: 'Listing', description: 'An item a pilot offers to other pilots; held in escrow while active' },
);
export type Listing = Static<typeof Listing>;

export const ListingResponse = Type.Object({ listing: Listing }, { title: 'ListingResponse' });
export type ListingResponse = Static<typeof ListingResponse>;

export const CreateListingBody = Type.Object(
  { itemId: ItemId, price: ListingPrice },
  { additionalProperties: false, title: 'CreateListingRequest' },
);
export type CreateListingBody = Static<typeof CreateListingBody>;

export const BuyListingBody = Type.Object(
  {
    expectedPrice: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: MARKET_MAX_PRICE,
        description: 'The price the buyer saw; another price is refused (PRICE_CHANGED)',
      }),
    ),
  },
  { additionalProperties: false, title: 'BuyListingRequest' },
);
export type BuyListingBody = Static<typeof BuyListingBody>;

export const BuyListingResponse = Type.Object(
  { balance: Money, item: OwnedItem, listing: Listing, transactionId: Type.String() },
  { title: 'MarketPurchase' },
);
export type BuyListingResponse = Static<typeof BuyListingResponse>;

export const MARKET_SORTS = ['price', 'newest'] as const;

export const ListingQuery = Type.Object(
  {
    itemId: Type.Optional(ItemId),
    search: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    sort: Type.Optional(Type.Enum(MARKET_SORTS, { default: 'price' })),
    limit: Type.Optional(Limit),
    cursor: Type.Optional(Cursor),
    lang: Type.Optional(Lang),
  },
  { additionalProperties: false },
);
export type ListingQuery = Static<typeof ListingQuery>;

export const ListingPage = Type.Object(
  { listings: Type.Array(Listing), nextCursor: NextCursor },
  { title: 'ListingPage' },
);
export type ListingPage = Static<typeof ListingPage>;

export const MyListings = Type.Object({ listings: Type.Array(Listing) }, { title: 'MyListings' });
export type MyListings = Static<typeof MyListings>;
