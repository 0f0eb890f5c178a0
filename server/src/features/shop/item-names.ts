/**
 * Item names by id and language, kept in the node: the catalog is small and read-mostly, so the shop's
 * money moves write their answers with these names and the database never looks one up (the primary is
 * the tier that does not scale out). Dropped when the catalog changes (`catalog.changed`, published by
 * whichever node changed it) and reloaded at least every MAX_AGE_MS, so a missed event (a Redis outage)
 * costs at most that long with an old name in an answer. A name is display only: prices and powers always
 * come from the database rows the move locks.
 */
import type { Database } from '../../db/client';
import type { Events } from '../../infra/events';
import { listItemNames } from './shop.repository';

const MAX_AGE_MS = 60_000;
/** An unknown id reloads the names (an item added since), at most this often: unknown ids are cheap to send. */
const UNKNOWN_RELOAD_MS = 1_000;

interface Names {
  name: string;
  names: Record<string, string>;
}

export interface ItemNamesDeps {
  database: Pick<Database, 'db'>;
  events: Pick<Events, 'subscribe'>;
  now?: () => number;
}

export class ItemNames {
  #byId: Map<number, Names> | null = null;
  #loadedAt = 0;
  #loading: Promise<Map<number, Names>> | null = null;
  /** Bumped by forget(): a load that began before it must not be kept. */
  #generation = 0;
  readonly #now: () => number;

  constructor(private readonly deps: ItemNamesDeps) {
    this.#now = deps.now ?? Date.now;
    deps.events.subscribe('catalog.changed', () => this.forget());
  }

  /** The item's name in `language` (its catalog name when it has none there); null for an unknown id. */
  async nameOf(id: number, language: string): Promise<string | null> {
    let byId = this.#byId;
    if (!byId || this.#now() - this.#loadedAt > MAX_AGE_MS) byId = await this.#load();
    let item = byId.get(id);
    if (!item && this.#now() - this.#loadedAt > UNKNOWN_RELOAD_MS) item = (await this.#load()).get(id);
    return item ? (item.names[language] ?? item.name) : null;
  }

  /** Drops every name: the next lookup reads the catalog again. */
  forget(): void {
    this.#generation += 1;
    this.#byId = null;
    this.#loading = null;
  }

  #load(): Promise<Map<number, Names>> {
    if (this.#loading) return this.#loading;
    const generation = this.#generation;
    const loading = listItemNames(this.deps.database.db)
      .then((rows) => {
        const byId = new Map(rows.map((r) => [r.id, { name: r.name, names: r.names ?? {} }]));
        // Read before a change was announced: answer with it, but keep it only if nothing changed since.
        if (generation === this.#generation) {
          this.#byId = byId;
          this.#loadedAt = this.#now();
        }
        return byId;
      })
      .finally(() => {
        if (this.#loading === loading) this.#loading = null;
      });
    this.#loading = loading;
    return loading;
  }
}
