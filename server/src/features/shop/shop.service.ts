/**
 * The shop: catalog pages (cached per catalog version, with ETags), purchases and sales.
 * Catalog pages are public and identical for everyone, so the serialized page is cached under a key that
 * holds the catalog version; any catalog change bumps the version, which orphans every old page at once
 * (on every node sharing the cache). Balances are never cached.
 */
import { createHash } from 'node:crypto';
import {
  type BuyResponse,
  formatCredits,
  type Language,
  type SellResponse,
  type ShopItem,
  type ShopQuery,
} from '@metagameplay/protocol';
import type { AppContext } from '../../context';
import { decodeCursor, pageOf } from '../../lib/cursor';
import { DomainError } from '../../lib/domain-error';
import type { PlayerService } from '../players/players.service';
import type { Executor } from '../../db/client';
import { purchase, sale } from '../wallet/wallet.repository';
import type { CatalogEntry } from './catalog-file';
import { findItem, listActiveItems, upsertCatalog } from './shop.repository';

export interface CachedPage {
  /** The JSON answer as UTF-8 bytes, ready for the socket. */
  body: Buffer;
  etag: string;
}

const CATALOG_VERSION_KEY = 'catalog:version';
const PAGE_CACHE_SECONDS = 300;
/** Encoded pages kept in process by ETag; a page's ETag is the hash of its bytes, so an entry never goes stale. */
const MAX_ENCODED_PAGES = 512;

export class ShopService {
  readonly #encoded = new Map<string, Buffer>();

  constructor(
    private readonly ctx: AppContext,
    private readonly players: PlayerService,
  ) {}

  /** Loads the catalog file's entries into the database (by name: add missing, update price/power). */
  async syncCatalog(entries: CatalogEntry[]): Promise<{ entries: number; changed: number }> {
    const changed = await upsertCatalog(this.ctx.database.db, entries);
    if (changed > 0) await this.catalogChanged();
    return { entries: entries.length, changed };
  }

  /** Makes every cached catalog page stale, on every node. */
  async catalogChanged(): Promise<void> {
    try {
      await this.ctx.cache.incr(CATALOG_VERSION_KEY);
    } catch {
      // The cache is down: nothing is served from it until it is back (and then with a new version).
    }
    // Announced on the bus for listeners on any node; the version bump above is what keeps caches right.
    void this.ctx.bus.publish('catalog.changed', {}).catch(() => undefined);
  }

  /** A catalog page with item names in `language`; pages are cached per language. */
  async page(query: ShopQuery, language: Language): Promise<CachedPage> {
    const limit = query.limit ?? 20;
    const afterId = query.cursor ? decodeCursor<[number]>(query.cursor, ['i'])[0] : 0;
    const version = (await this.ctx.cache.get(CATALOG_VERSION_KEY)) ?? '0';
    const key = `shop:page:v3:${version}:${language}:${limit}:${afterId}:${query.search === undefined ? '' : encodeURIComponent(query.search.toLowerCase())}`;
    const cached = await this.ctx.cache.get(key);
    // Stored as `<etag>\n<body>`: an ETag holds no newline, and splitting is cheaper than JSON.parse.
    const split = cached ? cached.indexOf('\n') : -1;
    if (cached && split > 0) {
      this.ctx.metrics.cacheLookup('shop_page', true);
      const etag = cached.slice(0, split);
      return { etag, body: this.#encode(etag, () => cached.slice(split + 1)) };
    }
    this.ctx.metrics.cacheLookup('shop_page', false);
    const rows = await listActiveItems(this.ctx.database.db, {
      afterId,
      limit: limit + 1,
      search: query.search,
      language,
    });
    const { page, nextCursor } = pageOf(rows, limit, (r) => [r.id]);
    const body = JSON.stringify({ items: page.map(toShopItem), nextCursor });
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
    await this.ctx.cache.set(key, `${etag}\n${body}`, PAGE_CACHE_SECONDS);
    return { etag, body: this.#encode(etag, () => body) };
  }

  /**
   * The bytes of a cached page, encoded once per ETag instead of on every answer (a warm page is
   * served thousands of times a second; encoding it each time was a measurable share of the work).
   */
  #encode(etag: string, text: () => string): Buffer {
    let bytes = this.#encoded.get(etag);
    if (!bytes) {
      if (this.#encoded.size >= MAX_ENCODED_PAGES) this.#encoded.clear();
      bytes = Buffer.from(text(), 'utf8');
      this.#encoded.set(etag, bytes);
    }
    return bytes;
  }

  async item(id: number, language: Language): Promise<ShopItem> {
    const item = await findItem(this.ctx.database.db, id, { activeOnly: true, language });
    if (!item) throw itemNotFound(id);
    return toShopItem(item);
  }

  async buy(
    db: Executor,
    playerId: string,
    itemId: number,
    expectedPrice: number | undefined,
  ): Promise<BuyResponse> {
    const outcome = await purchase(db, playerId, itemId, expectedPrice ?? null);
    const { item } = outcome;
    if (!item) throw itemNotFound(itemId);
    if (outcome.owned) throw new DomainError('ALREADY_OWNED', `You already own "${item.name}"`);
    if (expectedPrice !== undefined && item.price !== expectedPrice) {
      // Messages are for people: credits as clients show them; details keep minor units for programs.
      throw new DomainError('PRICE_CHANGED', `The price of "${item.name}" is now ${credits(item.price)}`, {
        price: item.price,
      });
    }
    if (outcome.balanceAfter === null || outcome.transactionId === null || outcome.acquiredAt === null) {
      throw new DomainError(
        'INSUFFICIENT_FUNDS',
        `Not enough credits: need ${credits(item.price)}, have ${formatCredits(outcome.balanceBefore)}`,
        { balance: outcome.balanceBefore, required: item.price },
      );
    }
    this.ctx.metrics.purchases.inc();
    return {
      balance: outcome.balanceAfter,
      item: {
        ...toShopItem(item),
        sellPrice: this.players.sellPrice(item.price),
        acquiredAt: outcome.acquiredAt.toISOString(),
      },
      transactionId: outcome.transactionId,
    };
  }

  async sell(db: Executor, playerId: string, itemId: number): Promise<SellResponse> {
    const outcome = await sale(db, playerId, itemId, this.ctx.config.sellPricePercent);
    if (!outcome.item) throw itemNotFound(itemId);
    if (outcome.balanceAfter === null || outcome.amount === null || outcome.transactionId === null) {
      throw new DomainError('NOT_OWNED', `You do not own "${outcome.item.name}"`);
    }
    this.ctx.metrics.sales.inc();
    return {
      balance: outcome.balanceAfter,
      amount: outcome.amount,
      item: toShopItem(outcome.item),
      transactionId: outcome.transactionId,
    };
  }
}

function toShopItem(row: { id: number; name: string; price: number; power: number }): ShopItem {
  return { id: row.id, name: row.name, price: row.price, power: row.power };
}

/** "50.99 credits": an amount of minor units as a message shows it. */
function credits(units: number): string {
  return `${formatCredits(units)} credits`;
}

export function itemNotFound(id: number): DomainError {
  return new DomainError('ITEM_NOT_FOUND', `No item ${id} in the shop`);
}
