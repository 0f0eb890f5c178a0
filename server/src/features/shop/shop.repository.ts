/** SQL of the catalog: listing, lookup, and the start-up sync from the catalog file. */
import { and, asc, eq, gt, ilike, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client';
import { items } from '../../db/schema';
import type { CatalogEntry } from './catalog-file';

export interface ItemRow {
  id: number;
  name: string;
  price: number;
  power: number;
}

/** A catalog page's row: the item and its cheapest active market listing (market_listings_active_item_price_idx). */
export interface CatalogRow extends ItemRow {
  lowestMarketPrice: number | string | null;
}

// Qualified by hand: drizzle writes a select's own columns unqualified, and "id" would be the listing's.
const lowestMarketPrice = sql<number | string | null>`(SELECT min(m.price) FROM market_listings m
  WHERE m.item_id = "items"."id" AND m.status = 'active' AND m.expires_at > now())`;

const itemColumns = { id: items.id, name: items.name, price: items.price, power: items.power };

/** The item's name in `language`, or its catalog name when it has none in that language. */
export function localName(language: string) {
  return sql<string>`COALESCE(${items.names} ->> ${language}, ${items.name})`;
}

const localColumns = (language: string) => ({ ...itemColumns, name: localName(language) });

export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export async function listActiveItems(
  db: Executor,
  query: { afterId: number; limit: number; search?: string; language: string },
): Promise<CatalogRow[]> {
  const conditions = [eq(items.active, true), gt(items.id, query.afterId)];
  if (query.search) {
    // Every language is searched: a Russian player may type an English name and the other way round.
    const pattern = `%${escapeLike(query.search)}%`;
    conditions.push(
      sql`(${ilike(items.name, pattern)} OR EXISTS (SELECT 1 FROM jsonb_each_text(${items.names}) AS t(lang, name) WHERE t.name ILIKE ${pattern}))`,
    );
  }
  return db
    .select({ ...localColumns(query.language), lowestMarketPrice })
    .from(items)
    .where(and(...conditions))
    .orderBy(asc(items.id))
    .limit(query.limit);
}

export async function findItem(
  db: Executor,
  id: number,
  options: { activeOnly: boolean; language?: string },
): Promise<ItemRow | null> {
  const rows = await db
    .select(options.language === undefined ? itemColumns : localColumns(options.language))
    .from(items)
    .where(options.activeOnly ? and(eq(items.id, id), eq(items.active, true)) : eq(items.id, id))
    .limit(1);
  return rows[0] ?? null;
}

/** Adds missing catalog entries and updates price/power of existing ones (matched by name). */
export async function upsertCatalog(db: Executor, entries: CatalogEntry[]): Promise<number> {
  if (entries.length === 0) return 0;
  const changed = await db
    .insert(items)
    .values(entries)
    .onConflictDoUpdate({
      target: items.name,
      set: {
        names: sql`excluded.names`,
        price: sql`excluded.price`,
        power: sql`excluded.power`,
        updatedAt: sql`now()`,
      },
      setWhere: sql`${items.price} <> excluded.price OR ${items.power} <> excluded.power OR ${items.names} <> excluded.names`,
    })
    .returning({ id: items.id });
  return changed.length;
}

/** Adds an item to the catalog. A taken name fails with a unique violation (23505). */
export async function insertItem(
  db: Executor,
  item: { name: string; price: number; power: number },
): Promise<ItemRow> {
  const [row] = await db.insert(items).values(item).returning(itemColumns);
  if (!row) throw new Error('insert returned no row');
  return row;
}

/** Changes an item still in the shop; null when there is none. A taken name fails with 23505. */
export async function updateActiveItem(
  db: Executor,
  id: number,
  changes: { name?: string; price?: number; power?: number },
): Promise<ItemRow | null> {
  const [row] = await db
    .update(items)
    // A new name makes the old name's translations wrong: they go with it.
    .set({ ...changes, ...(changes.name === undefined ? {} : { names: {} }), updatedAt: sql`now()` })
    .where(and(eq(items.id, id), eq(items.active, true)))
    .returning(itemColumns);
  return row ?? null;
}

/** Takes an item out of the shop (owners keep it); false when it was not in the shop. */
export async function retireActiveItem(db: Executor, id: number): Promise<boolean> {
  const retired = await db
    .update(items)
    .set({ active: false, updatedAt: sql`now()` })
    .where(and(eq(items.id, id), eq(items.active, true)))
    .returning({ id: items.id });
  return retired.length > 0;
}

/** Every item's names (retired ones too): what ItemNames keeps in the node. */
export async function listItemNames(
  db: Executor,
): Promise<{ id: number; name: string; names: Record<string, string> }[]> {
  return db.select({ id: items.id, name: items.name, names: items.names }).from(items);
}
