/** Admin operations: catalog edits (which invalidate every cached catalog page) and credit grants. */
import type { CreateItemBody, GrantResponse, ShopItem, UpdateItemBody } from '@metagameplay/protocol';
import { and, eq, sql } from 'drizzle-orm';
import type { AppContext } from '../../context';
import { type Executor, pgErrorOf } from '../../db/client';
import { items } from '../../db/schema';
import { DomainError } from '../../lib/domain-error';
import { itemNotFound, type ShopService } from '../shop/shop.service';
import { applyLedgerMove } from '../wallet/wallet.repository';

const itemColumns = { id: items.id, name: items.name, price: items.price, power: items.power };

export class AdminService {
  constructor(
    private readonly ctx: AppContext,
    private readonly shop: ShopService,
  ) {}

  async createItem(body: CreateItemBody): Promise<ShopItem> {
    const [item] = await this.#nameSafe(body.name, () =>
      this.ctx.database.db.insert(items).values(body).returning(itemColumns),
    );
    if (!item) throw new Error('insert returned no row');
    await this.shop.catalogChanged();
    return item;
  }

  async updateItem(id: number, body: UpdateItemBody): Promise<ShopItem> {
    const [item] = await this.#nameSafe(body.name, () =>
      this.ctx.database.db
        .update(items)
        .set({ ...body, updatedAt: sql`now()` })
        .where(and(eq(items.id, id), eq(items.active, true)))
        .returning(itemColumns),
    );
    if (!item) throw itemNotFound(id);
    await this.shop.catalogChanged();
    return item;
  }

  /** Retires an item: it leaves the shop; owners keep it and can still sell it. */
  async retireItem(id: number): Promise<void> {
    const retired = await this.ctx.database.db
      .update(items)
      .set({ active: false, updatedAt: sql`now()` })
      .where(and(eq(items.id, id), eq(items.active, true)))
      .returning({ id: items.id });
    if (retired.length === 0) throw itemNotFound(id);
    await this.shop.catalogChanged();
  }

  async grantCredits(db: Executor, playerId: string, amount: number, reason: string): Promise<GrantResponse> {
    const moved = await applyLedgerMove(db, { playerId, type: 'admin_grant', amount, note: reason });
    if (!moved) throw new DomainError('PLAYER_NOT_FOUND', 'No such player');
    return { balance: moved.balance, transactionId: moved.transactionId };
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
