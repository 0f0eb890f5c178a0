/** The lobby: online players (Presence) with their power and rating (Postgres), self excluded, by id. */
import type { LobbyPage, PageQuery, PublicPlayer } from '@metagameplay/protocol';
import type { Database } from '../../db/client';
import type { Presence } from '../../infra/presence';
import { decodeCursor, pageOf } from '../../lib/cursor';
import { findLobbyProfiles } from './lobby.repository';

export interface LobbyDeps {
  presence: Pick<Presence, 'list'>;
  database: Pick<Database, 'db'>;
}

export class LobbyService {
  constructor(private readonly deps: LobbyDeps) {}

  async page(selfId: string, query: PageQuery): Promise<LobbyPage> {
    const limit = query.limit ?? 20;
    const afterId = query.cursor ? decodeCursor<[string]>(query.cursor, ['s'])[0] : null;
    // One more than the page to know whether another follows, and one more in case self is among them.
    const ids = (await this.deps.presence.list(afterId, limit + 2))
      .filter((id) => id !== selfId)
      .slice(0, limit + 1);
    const rows = await findLobbyProfiles(this.deps.database.db, ids);
    const players = rows.map((r): PublicPlayer => ({ ...r, online: true }));
    const { page, nextCursor } = pageOf(players, limit, (p) => [p.id]);
    return { players: page, nextCursor };
  }
}
