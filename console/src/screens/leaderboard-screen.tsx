/** The leaderboard: rank, pilot, rating, power, wins / losses, page by page (rating desc). */
import type { LeaderboardEntry } from '@metagameplay/protocol';
import { useInput } from 'ink';
import { useEffect, useState } from 'react';
import { Frame, type Notice, useListRows } from '../components/frame';
import { PagedRows } from '../components/paged-rows';
import { Row } from '../components/table';
import { useGame } from '../game-context';
import { useListBrowser } from '../hooks/use-list-browser';
import { failureMessage, listMoveForKey } from '@metagameplay/game';

export function LeaderboardScreen() {
  const game = useGame();
  const { t, api } = game;
  const me = game.session?.player.id;
  const pageSize = useListRows(12);
  const [notice, setNotice] = useState<Notice | null>(null);
  const list = useListBrowser<LeaderboardEntry>(
    async (cursor, limit) => {
      const page = await api.leaderboard(cursor === null ? { limit } : { limit, cursor });
      return { items: page.players, nextCursor: page.nextCursor };
    },
    (error) => setNotice({ text: failureMessage(t, error), tone: 'bad' }),
    pageSize,
  );

  useEffect(() => {
    list.reset();
  }, []);

  useInput(
    (input, key) => {
      const move = listMoveForKey(key);
      if (move) return list.move(move);
      if (key.escape || input.toLowerCase() === 'q' || input === 'й') game.go('home');
    },
    { isActive: game.inputActive },
  );

  const l = t.battles.leaderboard;
  const { state } = list;
  return (
    <Frame heading={l.heading} keys={l.keys} notice={notice}>
      <Row
        bold
        columns={[
          { text: l.columns.rank, width: 6 },
          { text: l.columns.nickname },
          { text: l.columns.rating, width: 10 },
          { text: l.columns.power, width: 10 },
          { text: l.columns.record, width: 12 },
        ]}
      />
      <PagedRows
        state={state}
        rows={pageSize}
        empty={l.empty}
        row={(entry, index) => (
          <Row
            key={entry.id}
            selected={index === state.selected}
            columns={[
              { text: String(entry.rank), width: 6 },
              { text: entry.nickname, ...(entry.id === me ? { color: 'cyan' } : {}) },
              { text: String(entry.rating), width: 10 },
              { text: String(entry.power), width: 10 },
              { text: `${entry.wins} / ${entry.losses}`, width: 12 },
            ]}
          />
        )}
      />
    </Frame>
  );
}
