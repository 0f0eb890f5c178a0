/** The leaderboard: rank, pilot, rating, power, wins / losses, page by page (rating desc). */
import type { LeaderboardEntry } from '@metagameplay/protocol';
import { PagedListScreen } from '../components/paged-list-screen';
import { useGame } from '../game-context';

export function LeaderboardScreen() {
  const game = useGame();
  const { t, api } = game;
  const me = game.session?.player.id;
  const l = t.battles.leaderboard;
  return (
    <PagedListScreen<LeaderboardEntry>
      heading={l.heading}
      keys={l.keys}
      empty={l.empty}
      fetchPage={async (query) => {
        const page = await api.leaderboard(query);
        return { items: page.players, nextCursor: page.nextCursor };
      }}
      rowKey={(entry) => entry.id}
      columns={[
        { title: l.columns.rank, width: 6, cell: (entry) => String(entry.rank) },
        {
          title: l.columns.nickname,
          // The pilot's own line stands out.
          cell: (entry) => ({ text: entry.nickname, ...(entry.id === me ? { color: 'cyan' } : {}) }),
        },
        { title: l.columns.rating, width: 10, cell: (entry) => String(entry.rating) },
        { title: l.columns.power, width: 10, cell: (entry) => String(entry.power) },
        { title: l.columns.record, width: 12, cell: (entry) => `${entry.wins} / ${entry.losses}` },
      ]}
    />
  );
}
