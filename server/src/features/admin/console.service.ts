/**
 * The operator's console, its catalog, books, dashboard and economy parts (API.md "The operator's
 * console"). Each action writes its audit-log entry in the transaction that makes its change.
 */
import type {
  BooksCheck,
  CatalogItem,
  CreateItemBody,
  Dashboard,
  Economy,
  EconomyDay,
  UpdateItemBody,
} from '@metagameplay/protocol';
import { eq, sql } from 'drizzle-orm';
import { type Database, type Executor, pgErrorOf } from '../../db/client';
import { items } from '../../db/schema';
import { DomainError } from '../../lib/domain-error';
import { itemNotFound, type ShopService } from '../shop/shop.service';
import { auditMoney } from '../wallet/wallet.audit';
import { insertAuditEntry } from './audit-log.repository';
import type { DashboardService } from './dashboard.service';
import { dailyFlows, dayOf, escrowNow, rollUpClosedDays, topHolders } from './economy.repository';

const BATTLE_TYPES = new Set(['battle_stake', 'battle_payout', 'battle_refund']);
const DAY_MS = 86_400_000;
/**
 * The top holders are read by a scan of every player (no index on balance: one would cost every money
 * move an index write, as the balance is updated in place now, HOT), so a node reuses a list this young.
 */
const HOLDERS_MAX_AGE_MS = 30_000;

export interface ConsoleDeps {
  database: Database;
  shop: Pick<ShopService, 'catalogChanged'>;
  dashboard: Pick<DashboardService, 'read'>;
  now?: () => number;
}

const catalogColumns = {
  id: items.id,
  name: items.name,
  names: items.names,
  price: items.price,
  power: items.power,
  active: items.active,
  createdAt: items.createdAt,
  updatedAt: items.updatedAt,
};

type CatalogRow = {
  id: number;
  name: string;
  names: Record<string, string>;
  price: number;
  power: number;
  active: boolean;
  createdAt: Date;
  updatedAt: Date;
};

function catalogItem(row: CatalogRow): CatalogItem {
  return {
    id: row.id,
    name: row.name,
    names: row.names,
    price: row.price,
    power: row.power,
    active: row.active,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** The fields an edit changed, old and new, for the audit entry. */
function changes(before: CatalogRow, after: CatalogRow): Record<string, { from: unknown; to: unknown }> {
  const changed: Record<string, { from: unknown; to: unknown }> = {};
  for (const field of ['name', 'names', 'price', 'power', 'active'] as const) {
    if (JSON.stringify(before[field]) !== JSON.stringify(after[field])) {
      changed[field] = { from: before[field], to: after[field] };
    }
  }
  return changed;
}

export class ConsoleService {
  readonly #now: () => number;
  #holders: { at: number; rows: Promise<Economy['topHolders']> } | null = null;

  constructor(private readonly deps: ConsoleDeps) {
    this.#now = deps.now ?? Date.now;
  }

  async listItems(): Promise<CatalogItem[]> {
    const rows = await this.deps.database.db.select(catalogColumns).from(items).orderBy(items.id);
    return rows.map(catalogItem);
  }

  async createItem(adminId: string, body: CreateItemBody): Promise<CatalogItem> {
    const row = await this.#nameSafe(body.name, () =>
      this.deps.database.db.transaction(async (tx) => {
        const [created] = await tx
          .insert(items)
          .values({ name: body.name, price: body.price, power: body.power, names: body.names ?? {} })
          .returning(catalogColumns);
        if (!created) throw new Error('insert returned no row');
        await insertAuditEntry(tx, {
          adminId,
          action: 'item_create',
          itemId: created.id,
          reason: body.reason ?? null,
          details: { name: created.name, names: created.names, price: created.price, power: created.power },
        });
        return created;
      }),
    );
    await this.deps.shop.catalogChanged();
    return catalogItem(row);
  }

  /** Changes an item, in the shop or retired. A new name without new translations drops the old ones. */
  async updateItem(adminId: string, id: number, body: UpdateItemBody): Promise<CatalogItem> {
    const row = await this.#nameSafe(body.name, () =>
      this.deps.database.db.transaction(async (tx) => {
        const before = await lockItem(tx, id);
        const renamed = body.name !== undefined && body.name !== before.name;
        const names = body.names ?? (renamed ? {} : undefined);
        const [after] = await tx
          .update(items)
          .set({
            ...(body.name === undefined ? {} : { name: body.name }),
            ...(body.price === undefined ? {} : { price: body.price }),
            ...(body.power === undefined ? {} : { power: body.power }),
            ...(names === undefined ? {} : { names }),
            updatedAt: sql`now()`,
          })
          .where(eq(items.id, id))
          .returning(catalogColumns);
        if (!after) throw itemNotFound(id);
        await insertAuditEntry(tx, {
          adminId,
          action: 'item_update',
          itemId: id,
          reason: body.reason ?? null,
          details: changes(before, after),
        });
        return after;
      }),
    );
    await this.deps.shop.catalogChanged();
    return catalogItem(row);
  }

  /** Retires (active false) or restores (true) an item; refused when it already is so. */
  async setActive(adminId: string, id: number, active: boolean, reason: string | null): Promise<CatalogItem> {
    const row = await this.deps.database.db.transaction(async (tx) => {
      const before = await lockItem(tx, id);
      if (before.active === active) {
        // Retiring a retired item is the 404 it always was (not in the shop); restoring an active one too.
        throw itemNotFound(id);
      }
      const [after] = await tx
        .update(items)
        .set({ active, updatedAt: sql`now()` })
        .where(eq(items.id, id))
        .returning(catalogColumns);
      if (!after) throw itemNotFound(id);
      await insertAuditEntry(tx, {
        adminId,
        action: active ? 'item_restore' : 'item_retire',
        itemId: id,
        reason,
        details: { name: after.name },
      });
      return after;
    });
    await this.deps.shop.catalogChanged();
    return catalogItem(row);
  }

  /** The money audit (`npm run admin -- audit`), recorded in the audit log with its outcome. */
  async checkBooks(adminId: string, reason: string | null): Promise<BooksCheck> {
    const started = performance.now();
    const findings = (await auditMoney(this.deps.database)).map((finding) => ({
      check: finding.check,
      message: `${finding.row}: ${finding.detail}`,
    }));
    const durationMs = Math.round(performance.now() - started);
    await insertAuditEntry(this.deps.database.db, {
      adminId,
      action: 'books_check',
      reason,
      details: { ok: findings.length === 0, findings: findings.length, durationMs },
    });
    return { ok: findings.length === 0, findings, checkedAt: new Date().toISOString(), durationMs };
  }

  dashboard(): Promise<Dashboard> {
    return this.deps.dashboard.read();
  }

  /** Sums the days that closed since the last call (housekeeping; the economy read does it too). */
  rollUp(): Promise<number> {
    return rollUpClosedDays(this.deps.database.db, this.#now());
  }

  async economy(days: number): Promise<Economy> {
    const now = this.#now();
    const db = this.deps.database.db;
    await rollUpClosedDays(db, now);
    const [all, escrow, holders] = await Promise.all([
      dailyFlows(db, now),
      escrowNow(db),
      this.#topHolders(now),
    ]);
    const byDay = new Map(all.map((entry) => [entry.day, entry]));
    const first = dayOf(now - (days - 1) * DAY_MS);
    // The supply at the end of each day: every non-battle amount up to it (battles only hold and pay).
    let supply = 0;
    for (const entry of all) {
      if (entry.day >= first) break;
      supply += nonBattle(entry.flows);
    }
    const answer: EconomyDay[] = [];
    for (let at = Date.parse(`${first}T00:00:00.000Z`); answer.length < days; at += DAY_MS) {
      const day = dayOf(at);
      const flows = byDay.get(day)?.flows ?? {};
      supply += nonBattle(flows);
      answer.push({ day, supply, flows });
    }
    return { days: answer, supply, escrow, topHolders: holders };
  }

  #topHolders(now: number): Promise<Economy['topHolders']> {
    if (this.#holders && now - this.#holders.at < HOLDERS_MAX_AGE_MS) return this.#holders.rows;
    const rows = topHolders(this.deps.database.db, 10);
    const entry = { at: now, rows };
    this.#holders = entry;
    // A failed read is not kept: the next request tries again.
    rows.catch(() => {
      if (this.#holders === entry) this.#holders = null;
    });
    return rows;
  }

  async #nameSafe<T>(name: string | undefined, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (pgErrorOf(error).code === '23505') {
        throw new DomainError('ITEM_NAME_TAKEN', `An item called "${name ?? ''}" exists already`);
      }
      throw error;
    }
  }
}

function nonBattle(flows: EconomyDay['flows']): number {
  let sum = 0;
  for (const [type, flow] of Object.entries(flows)) if (!BATTLE_TYPES.has(type)) sum += flow?.amount ?? 0;
  return sum;
}

async function lockItem(tx: Executor, id: number): Promise<CatalogRow> {
  const [row] = await tx.select(catalogColumns).from(items).where(eq(items.id, id)).for('update');
  if (!row) throw itemNotFound(id);
  return row;
}
