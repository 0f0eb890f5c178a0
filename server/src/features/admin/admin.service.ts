/** Admin operations: catalog edits, which invalidate every cached catalog page (grants are the wallet's). */
import type { CreateItemBody, ShopItem, UpdateItemBody } from '@metagameplay/protocol';
import { type Database, pgErrorOf } from '../../db/client';
import { DomainError } from '../../lib/domain-error';
import { insertItem, retireActiveItem, updateActiveItem } from '../shop/shop.repository';
import { itemNotFound, type ShopService } from '../shop/shop.service';

export interface AdminDeps {
  database: Pick<Database, 'db'>;
  shop: Pick<ShopService, 'catalogChanged'>;
}

export class AdminService {
  constructor(private readonly deps: AdminDeps) {}

  async createItem(body: CreateItemBody): Promise<ShopItem> {
    const item = await this.#nameSafe(body.name, () => insertItem(this.deps.database.db, body));
    await this.deps.shop.catalogChanged();
    return item;
  }

  async updateItem(id: number, body: UpdateItemBody): Promise<ShopItem> {
    const item = await this.#nameSafe(body.name, () => updateActiveItem(this.deps.database.db, id, body));
    if (!item) throw itemNotFound(id);
    await this.deps.shop.catalogChanged();
    return item;
  }

  /** Retires an item: it leaves the shop; owners keep it and can still sell it. */
  async retireItem(id: number): Promise<void> {
    if (!(await retireActiveItem(this.deps.database.db, id))) throw itemNotFound(id);
    await this.deps.shop.catalogChanged();
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
