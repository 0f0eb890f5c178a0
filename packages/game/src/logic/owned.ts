/** The ids of everything the pilot owns (all pages), so the shop can mark them. */
import type { GameApi } from '../game-api';

/** Guards against a server that keeps answering with a cursor: 200 pages of 100 is far beyond any pilot. */
const MAX_PAGES = 200;

export async function loadOwnedIds(api: Pick<GameApi, 'myItems'>): Promise<Set<number>> {
  const ids = new Set<number>();
  let cursor: string | null = null;
  for (let page = 0; page < MAX_PAGES; page++) {
    const result = await api.myItems(cursor === null ? { limit: 100 } : { limit: 100, cursor });
    for (const item of result.items) ids.add(item.id);
    cursor = result.nextCursor;
    if (cursor === null) break;
  }
  return ids;
}
