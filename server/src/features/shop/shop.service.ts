/**
 * The shop: catalog pages (cached per catalog version, with ETags); purchases and sales are the wallet's.
 * Catalog pages are public and identical for everyone, so the serialized page is cached under a key that
 * holds the catalog version; any catalog change bumps the version, which orphans every old page at once
 * (on every node sharing the cache). Pages show each item's lowest market price, so the market bumps the
 * version too after a listing changes (MarketService). Balances are never cached.
 */
import { createHash } from 'node:crypto';
import type { Language, ShopItem, ShopQuery } from '@metagameplay/protocol';
import type { Database } from '../../db/client';
import type { Cache } from '../../infra/cache';
import type { Events } from '../../infra/events';
import type { Metrics } from '../../infra/metrics';
import { decodeCursor, pageOf } from '../../lib/cursor';
import { DomainError } from '../../lib/domain-error';
import type { CatalogEntry } from './catalog-file';
import { type CatalogRow, findItem, type ItemRow, listActiveItems, upsertCatalog } from './shop.repository';

export interface CachedPage {
  /** The JSON answer as UTF-8 bytes, ready for the socket. */
  body: Buffer;
  etag: string;
}

const CATALOG_VERSION_KEY = 'catalog:version';
const PAGE_CACHE_SECONDS = 300;
/** Encoded pages kept in process by ETag; a page's ETag is the hash of its bytes, so an entry never goes stale. */
const MAX_ENCODED_PAGES = 512;

export interface ShopDeps {
  database: Pick<Database, 'db'>;
  cache: Pick<Cache, 'get' | 'set' | 'incr'>;
  events: Pick<Events, 'publish'>;
  metrics: Pick<Metrics, 'cacheLookup'>;
}

export class ShopService {
  readonly #encoded = new Map<string, Buffer>();
  /** The catalog version this node read last. */
  #lastVersion = '0';

  constructor(private readonly deps: ShopDeps) {}

  /** Loads the catalog file's entries into the database (by name: add missing, update price/power). */
  async syncCatalog(entries: CatalogEntry[]): Promise<{ entries: number; changed: number }> {
    const changed = await upsertCatalog(this.deps.database.db, entries);
    if (changed > 0) await this.catalogChanged();
    return { entries: entries.length, changed };
  }

  /** Makes every cached catalog page stale, on every node. */
  async catalogChanged(): Promise<void> {
    try {
      await this.deps.cache.incr(CATALOG_VERSION_KEY);
    } catch {
      // The cache is down: nothing is served from it until it is back (and then with a new version).
    }
    // Announced on the bus for listeners on any node; the version bump above is what keeps caches right.
    void this.deps.events.publish('catalog.changed', {}).catch(() => undefined);
  }

  /** A catalog page with item names in `language`; pages are cached per language. */
  async page(query: ShopQuery, language: Language): Promise<CachedPage> {
    const limit = query.limit ?? 20;
    const afterId = query.cursor ? decodeCursor<[number]>(query.cursor, ['i'])[0] : 0;
    const search = query.search === undefined ? '' : encodeURIComponent(query.search.toLowerCase());
    const keyOf = (version: string) => `shop:page:v4:${version}:${language}:${limit}:${afterId}:${search}`;
    // The page is read beside the version, under the version last seen (one fence covers both reads):
    // while the catalog does not change, that is the page; when it did, the page is read again.
    const guess = this.#lastVersion;
    const [read, guessed] = await Promise.all([
      this.deps.cache.get(CATALOG_VERSION_KEY),
      this.deps.cache.get(keyOf(guess)),
    ]);
    const version = read ?? '0';
    this.#lastVersion = version;
    const key = keyOf(version);
    const cached = version === guess ? guessed : await this.deps.cache.get(key);
    // Stored as `<etag>\n<body>`: an ETag holds no newline, and splitting is cheaper than JSON.parse.
    const split = cached ? cached.indexOf('\n') : -1;
    if (cached && split > 0) {
      this.deps.metrics.cacheLookup('shop_page', true);
      const etag = cached.slice(0, split);
      return { etag, body: this.#encode(etag, () => cached.slice(split + 1)) };
    }
    this.deps.metrics.cacheLookup('shop_page', false);
    const rows = await listActiveItems(this.deps.database.db, {
      afterId,
      limit: limit + 1,
      search: query.search,
      language,
    });
    const { page, nextCursor } = pageOf(rows, limit, (r) => [r.id]);
    const body = JSON.stringify({ items: page.map(toShopItem), nextCursor });
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
    await this.deps.cache.set(key, `${etag}\n${body}`, PAGE_CACHE_SECONDS);
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
    const item = await findItem(this.deps.database.db, id, { activeOnly: true, language });
    if (!item) throw itemNotFound(id);
    return toShopItem(item);
  }
}

function toShopItem(row: ItemRow & Partial<Pick<CatalogRow, 'lowestMarketPrice'>>): ShopItem {
  const item: ShopItem = { id: row.id, name: row.name, price: row.price, power: row.power };
  if (row.lowestMarketPrice !== undefined) {
    item.lowestMarketPrice = row.lowestMarketPrice === null ? null : Number(row.lowestMarketPrice);
  }
  return item;
}

export function itemNotFound(id: number): DomainError {
  return new DomainError('ITEM_NOT_FOUND', `No item ${id} in the shop`);
}
