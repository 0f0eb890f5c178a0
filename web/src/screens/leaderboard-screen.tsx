/** The best pilots by rating, page by page; the viewer's own row stands out. */
import type { LeaderboardEntry } from '@metagameplay/protocol';
import { useEffect } from 'react';
import { PagedView } from '../components/paged-view';
import { Screen } from '../components/screen';
import { Stat } from '../components/stat';
import { useGame, useSession } from '../game-context';
import { usePagedList } from '../hooks/use-paged-list';

const PAGE_SIZE = 15;

export function LeaderboardScreen() {
  const { w, battles } = useGame();
  const { player } = useSession();
  const list = usePagedList<LeaderboardEntry>(async (cursor) => {
    const page = await battles.leaderboard({ limit: PAGE_SIZE, ...(cursor === null ? {} : { cursor }) });
    return { items: page.players, nextCursor: page.nextCursor };
  });
  useEffect(() => list.reset(), []);

  return (
    <Screen heading={w.battle.leaderboardHeading} wide>
      <PagedView
        list={list}
        empty={w.battle.leaderboardEmpty}
        label={w.battle.leaderboardHeading}
        row={(entry) => (
          <li key={entry.id} className={`row leader${entry.id === player.id ? ' me' : ''}`}>
            <span className="leader-rank">
              <span className="sr-only">{w.battle.rank} </span>#{entry.rank}
            </span>
            <span className="leader-name">{entry.nickname}</span>
            <Stat kind="rating" label={w.battle.rating}>
              {entry.rating}
            </Stat>
            <Stat kind="power" label={w.battle.power}>
              {entry.power}
            </Stat>
            <span className="leader-wl">
              <span className="sr-only">{w.battle.winsLosses}: </span>
              {entry.wins} / {entry.losses}
            </span>
          </li>
        )}
      />
    </Screen>
  );
}
