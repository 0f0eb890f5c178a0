/** The pilot's own battles, newest first, page by page; Enter opens a resolved one's result. */
import { formatCredits } from '@metagameplay/protocol';
import { PagedListScreen } from '../components/paged-list-screen';
import { useGame } from '../game-context';
import { battleView, formatWhen, type VerifiedBattle } from '@metagameplay/game';

export function BattlesScreen() {
  const game = useGame();
  const { t, api } = game;
  const me = game.session?.player.id ?? '';
  const h = t.battles.history;
  const outcome = (battle: VerifiedBattle): { text: string; color?: string } => {
    const { won } = battleView(battle, me);
    if (won === null) return { text: h.outcomes[battle.status === 'resolved' ? 'pending' : battle.status] };
    return won ? { text: h.outcomes.won, color: 'green' } : { text: h.outcomes.lost, color: 'red' };
  };
  return (
    <PagedListScreen<VerifiedBattle>
      heading={h.heading}
      keys={h.keys}
      empty={h.empty}
      fetchPage={async (query) => {
        const page = await api.listBattles(query);
        return { items: page.battles, nextCursor: page.nextCursor };
      }}
      rowKey={(battle) => battle.id}
      onOpen={(battle) => {
        if (battle.status === 'resolved') game.showResult(battle);
      }}
      columns={[
        { title: h.columns.when, width: 18, cell: (battle) => formatWhen(battle.createdAt) },
        { title: h.columns.opponent, cell: (battle) => game.nameOf(battleView(battle, me).opponentId) },
        { title: h.columns.stake, width: 12, cell: (battle) => formatCredits(battle.stake) },
        { title: h.columns.outcome, width: 14, cell: outcome },
        {
          title: h.columns.check,
          // Wide enough for the Russian title ("Проверка").
          width: 10,
          cell: (battle) =>
            battle.verified === null
              ? ''
              : battle.verified
                ? { text: '✓', color: 'green' }
                : { text: '✗', color: 'red' },
        },
      ]}
    />
  );
}
