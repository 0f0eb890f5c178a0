/**
 * The market between players (API.md "Market between players"): listing an owned item (held in escrow
 * while active), cancelling, buying another pilot's listing, the expiry sweep, and browsing.
 *
 * Every move is one SQL statement (market.repository.ts, mg_market_*) run through the wallet's keyed-move
 * primitive (its in-flight bound and Idempotency-Key): the listing row, then the players in id order, so a
 * buy racing another buy, a cancel or the sweep gives exactly one outcome on any number of nodes. A
 * listed item is out of the seller's inventory, so the shop will not buy it back (NOT_OWNED) and it does
 * not count for battle power while listed. This service adds the events: `market.sold` to the seller and
 * `balance` to both sides, on whichever node they are.
 */
import type {
  BuyListingBody,
  CreateListingBody,
  Listing,
  ListingPage,
  ListingQuery,
  MyListings,
} from '@metagameplay/protocol';
import { MARKET_MAX_ACTIVE_LISTINGS } from '@metagameplay/protocol';
import type { FastifyBaseLogger } from 'fastify';
import type { Metrics } from '../../infra/metrics';
import type { Config } from '../../config';
import type { Database } from '../../db/client';
import type { Events } from '../../infra/events';
import { decodeCursor, encodeCursor } from '../../lib/cursor';
import { DomainError } from '../../lib/domain-error';
import { escapeLike } from '../shop/shop.repository';
import type { ShopService } from '../shop/shop.service';
import type { MoveRequest } from '../wallet/idempotency';
import type { KeyArgs } from '../wallet/wallet.repository';
import type { KeyedMoves, MoneyMoveResponse } from '../wallet/wallet.service';
import {
  browseListings,
  expireDueListings,
  marketBuy,
  marketCancel,
  marketList,
  type MarketMoveRow,
  sellerListings,
} from './market.repository';

/** The sweep expires at most this many listings per statement (then runs again). */
const SWEEP_BATCH = 100;
/** `mine` shows at most this many listings (the active ones are at most MARKET_MAX_ACTIVE_LISTINGS). */
const MINE_SHOWN = 100;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const DIGITS = /^\d{1,16}$/;

/** An ISO instant as mg_iso writes it, and a real one (2026-13-45 would fail the cast: a 500, not a 400). */
function isInstant(text: string): boolean {
  if (!ISO.test(text)) return false;
  const at = new Date(text);
  return !Number.isNaN(at.getTime()) && at.toISOString() === text;
}

export interface MarketDeps {
  wallet: KeyedMoves;
  database: Pick<Database, 'query'>;
  events: Pick<Events, 'publish'>;
  config: Pick<Config, 'marketFeePercent' | 'marketListingTtlSeconds' | 'sellPricePercent'>;
  log: Pick<FastifyBaseLogger, 'warn'>;
  /** The shop's catalog pages show each item's lowest market price: made stale after every change. */
  catalog: Pick<ShopService, 'catalogChanged'>;
  /** Counts sales (the dashboard's money moves); absent in tests of the rules alone. */
  metrics?: Pick<Metrics, 'marketSales'>;
}

export class MarketService {
  #sweeping: Promise<void> | null = null;

  constructor(private readonly deps: MarketDeps) {}

  /** Puts an owned item on sale: it leaves the inventory into escrow. */
  list(
    playerId: string,
    body: CreateListingBody,
    key: string | undefined,
    language: string,
  ): Promise<MoneyMoveResponse> {
    const request: MoveRequest = { method: 'POST', path: '/market/listings', body };
    return this.#move(playerId, key, request, (keyArgs) =>
      marketList(this.deps.database, {
        playerId,
        itemId: body.itemId,
        price: body.price,
        ttlSeconds: this.deps.config.marketListingTtlSeconds,
        maxActive: MARKET_MAX_ACTIVE_LISTINGS,
        language,
        ...keyArgs,
      }),
    );
  }

  /** The seller takes its listing back: the item returns to its inventory. */
  cancel(
    playerId: string,
    listingId: string,
    key: string | undefined,
    language: string,
  ): Promise<MoneyMoveResponse> {
    // DELETE carries no body; the key guards the same request as a POST would.
    const request: MoveRequest = { method: 'POST', path: `/market/listings/${listingId}/cancel`, body: null };
    return this.#move(playerId, key, request, (keyArgs) =>
      marketCancel(this.deps.database, { listingId, playerId, language, ...keyArgs }),
    );
  }

  /** Buys another pilot's listing: price from the buyer, price − fee to the seller, the item to the buyer. */
  buy(
    playerId: string,
    listingId: string,
    body: BuyListingBody,
    key: string | undefined,
    language: string,
  ): Promise<MoneyMoveResponse> {
    const request: MoveRequest = { method: 'POST', path: `/market/listings/${listingId}/buy`, body };
    return this.#move(playerId, key, request, (keyArgs) =>
      marketBuy(this.deps.database, {
        listingId,
        playerId,
        expectedPrice: body.expectedPrice ?? null,
        feePercent: this.deps.config.marketFeePercent,
        sellPercent: this.deps.config.sellPricePercent,
        language,
        ...keyArgs,
      }),
    );
  }

  async browse(query: ListingQuery, language: string): Promise<ListingPage> {
    const limit = query.limit ?? 20;
    const sort = query.sort ?? 'price';
    const after =
      query.cursor === undefined ? null : decodeCursor<[string, string]>(query.cursor, ['s', 's']);
    if (
      after &&
      (!UUID.test(after[1]) || !(sort === 'price' ? DIGITS.test(after[0]) : isInstant(after[0])))
    ) {
      throw new DomainError('VALIDATION_ERROR', 'Invalid cursor', [
        { field: 'querystring/cursor', message: 'not a cursor from this list' },
      ]);
    }
    const rows = await browseListings(this.deps.database, {
      sort,
      itemId: query.itemId ?? null,
      search: query.search === undefined ? null : `%${escapeLike(query.search)}%`,
      after,
      limit: limit + 1,
      language,
    });
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      listings: page.map((row) => row.listing),
      nextCursor: rows.length > limit && last ? encodeCursor([last.at, last.listing.id]) : null,
    };
  }

  async mine(playerId: string, language: string): Promise<MyListings> {
    return { listings: await sellerListings(this.deps.database, playerId, MINE_SHOWN, language) };
  }

  /** The sweep job: runs one sweep unless one is running; resolves when it is over (tests await it). */
  sweep(): Promise<void> {
    this.#sweeping ??= this.#sweep()
      .catch((error: unknown) => this.deps.log.warn({ err: error }, 'market expiry sweep failed'))
      .finally(() => {
        this.#sweeping = null;
      });
    return this.#sweeping;
  }

  async #sweep(): Promise<void> {
    for (;;) {
      const rows = await expireDueListings(this.deps.database, SWEEP_BATCH);
      if (rows.length > 0) await this.deps.catalog.catalogChanged();
      if (rows.length < SWEEP_BATCH) return;
    }
  }

  async #move(
    playerId: string,
    key: string | undefined,
    request: MoveRequest,
    run: (keyArgs: KeyArgs) => Promise<MarketMoveRow>,
  ): Promise<MoneyMoveResponse> {
    const { answer, row } = await this.deps.wallet.runKeyed(playerId, key, request, run);
    if (answer.replayed) return answer;
    // A listing changed (listed, cancelled, sold, or expired on the way): catalog pages show a new lowest price.
    if (row.o_listing) await this.deps.catalog.catalogChanged();
    this.deps.wallet.announceBalances(row.o_balances ?? null);
    if (answer.statusCode === 200 && row.o_balances && row.o_listing?.status === 'sold') {
      this.#sold(row.o_listing);
    }
    return answer;
  }

  #sold(listing: Listing): void {
    this.deps.metrics?.marketSales.inc();
    void this.deps.events
      .publish('market.sold', { playerId: listing.sellerId, listing })
      .catch(() => undefined);
  }
}
