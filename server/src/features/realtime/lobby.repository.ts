/** SQL of the lobby: public profiles (power, rating) of a page of online players, in one query. */
import { sql } from 'drizzle-orm';
import { type Executor, rowsOf } from '../../db/client';

export interface LobbyRow {
  id: string;
  nickname: string;
  rating: number;
  power: number;
}

/** The players among `ids` that exist, in id order. */
export async function findLobbyProfiles(db: Executor, ids: readonly string[]): Promise<LobbyRow[]> {
  if (ids.length === 0) return [];
  const list = sql.join(
    ids.map((id) => sql`${id}::uuid`),
    sql`, `,
  );
  const result = await db.execute(sql`
    SELECT p.id, p.nickname, p.rating, COALESCE(SUM(i.power), 0)::int AS power
    FROM players p
    LEFT JOIN inventory inv ON inv.player_id = p.id
    LEFT JOIN items i ON i.id = inv.item_id
    WHERE p.id IN (${list})
    GROUP BY p.id
    ORDER BY p.id
  `);
  return rowsOf<{ id: string; nickname: string; rating: number; power: number | string }>(result).map(
    (r) => ({
      id: r.id,
      nickname: r.nickname,
      rating: r.rating,
      power: Number(r.power),
    }),
  );
}
