/** The pilot's battles, newest first: opponent, stake, outcome, verified; each opens its result. */
import { battleView } from '@metagameplay/game';
import type { CheckedBattle } from '@metagameplay/client';
import { formatCredits } from '@metagameplay/protocol';
import { useEffect } from 'react';
import { PagedView } from '../components/paged-view';
import { Screen } from '../components/screen';
import { useGame, useSession } from '../game-context';
import { useNicknames } from '../hooks/use-nicknames';
import { usePagedList } from '../hooks/use-paged-list';

const PAGE_SIZE = 12;

export function BattlesScreen() {
  const { w, battles, navigate } = useGame();
  const { player } = useSession();
  const list = usePagedList<CheckedBattle>(async (cursor) => {
    const page = await battles.listBattles({ limit: PAGE_SIZE, ...(cursor === null ? {} : { cursor }) });
    return { items: page.battles, nextCursor: page.nextCursor };
  });
  useEffect(() => list.reset(), []);
  const names = useNicknames(list.state.items.map((b) => battleView(b, player.id).opponentId));

  return (
    <Screen heading={w.battle.historyHeading} wide>
      <PagedView
        list={list}
        empty={w.battle.historyEmpty}
        label={w.battle.historyHeading}
        row={(battle) => {
          const view = battleView(battle, player.id);
          const outcome =
            view.won === null
              ? w.battle.status[battle.status]
              : view.won
                ? w.battle.victory
                : w.battle.defeat;
          return (
            <li
              key={battle.id}
              className={`row battle-row ${view.won === null ? '' : view.won ? 'credit' : 'debit'}`}
            >
              <span className="battle-vs">{w.battle.vs(names.get(view.opponentId) ?? '…')}</span>
              <span className="battle-outcome">{outcome}</span>
              <span className="item-price">{formatCredits(view.stake)}</span>
              <span className="item-action">
                {battle.verified === true && <span className="badge verified">{w.battle.verified}</span>}{' '}
                <a
                  href={`/battles/${battle.id}`}
                  onClick={(event) => {
                    event.preventDefault();
                    navigate({ name: 'battle', id: battle.id });
                  }}
                >
                  {w.battle.viewResult}
                </a>
              </span>
            </li>
          );
        }}
      />
    </Screen>
  );
}
