/** The pilot's own battles, newest first, page by page; Enter opens a resolved one's result. */
import { formatCredits } from '@metagameplay/protocol';
import { useInput } from 'ink';
import { useEffect, useState } from 'react';
import { Frame, type Notice, useListRows } from '../components/frame';
import { PagedRows } from '../components/paged-rows';
import { Row } from '../components/table';
import { useGame } from '../game-context';
import { useListBrowser } from '../hooks/use-list-browser';
import {
  battleView,
  failureMessage,
  formatWhen,
  listMoveForKey,
  type VerifiedBattle,
} from '@metagameplay/game';

export function BattlesScreen() {
  const game = useGame();
  const { t, api } = game;
  const me = game.session?.player.id ?? '';
  const pageSize = useListRows(12);
  const [notice, setNotice] = useState<Notice | null>(null);
  const list = useListBrowser<VerifiedBattle>(
    async (cursor, limit) => {
      const page = await api.listBattles(cursor === null ? { limit } : { limit, cursor });
      return { items: page.battles, nextCursor: page.nextCursor };
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
      if (key.return) {
        const battle = list.selected();
        if (battle?.status === 'resolved') game.showResult(battle);
        return;
      }
      if (key.escape || input.toLowerCase() === 'q' || input === 'й') game.go('home');
    },
    { isActive: game.inputActive },
  );

  const h = t.battles.history;
  const { state } = list;
  return (
    <Frame heading={h.heading} keys={h.keys} notice={notice}>
      <Row
        bold
        columns={[
          { text: h.columns.when, width: 18 },
          { text: h.columns.opponent },
          { text: h.columns.stake, width: 12 },
          { text: h.columns.outcome, width: 14 },
          { text: h.columns.check, width: 8 },
        ]}
      />
      <PagedRows
        state={state}
        rows={pageSize}
        empty={h.empty}
        row={(battle, index) => {
          const view = battleView(battle, me);
          const outcome =
            view.won === null
              ? h.outcomes[battle.status === 'resolved' ? 'pending' : battle.status]
              : view.won
                ? h.outcomes.won
                : h.outcomes.lost;
          return (
            <Row
              key={battle.id}
              selected={index === state.selected}
              columns={[
                { text: formatWhen(battle.createdAt), width: 18 },
                { text: game.nameOf(view.opponentId) },
                { text: formatCredits(battle.stake), width: 12 },
                {
                  text: outcome,
                  width: 14,
                  ...(view.won === null ? {} : { color: view.won ? 'green' : 'red' }),
                },
                {
                  text: battle.verified === null ? '' : battle.verified ? '✓' : '✗',
                  width: 8,
                  color: battle.verified === false ? 'red' : 'green',
                },
              ]}
            />
          );
        }}
      />
    </Frame>
  );
}
