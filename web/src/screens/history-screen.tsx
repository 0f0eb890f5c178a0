/** The ledger, newest first, page by page: type, signed amount, balance after, the item or the battle. */
import { formatWhen, signedCredits } from '@metagameplay/game';
import { formatCredits, type Transaction } from '@metagameplay/protocol';
import { useEffect } from 'react';
import { PagedView } from '../components/paged-view';
import { Screen } from '../components/screen';
import { useGame } from '../game-context';
import { usePagedList } from '../hooks/use-paged-list';

const PAGE_SIZE = 15;

export function HistoryScreen() {
  const { t, w, api, navigate } = useGame();
  const list = usePagedList<Transaction>(async (cursor) => {
    const page = await api.transactions({ limit: PAGE_SIZE, ...(cursor === null ? {} : { cursor }) });
    return { items: page.transactions, nextCursor: page.nextCursor };
  });

  useEffect(() => list.reset(), []);

  return (
    <Screen heading={t.history.heading} wide>
      <PagedView
        list={list}
        empty={t.history.empty}
        label={t.history.heading}
        row={(tx) => {
          const battleId = tx.battleId;
          return (
            <li key={tx.id} className={`row ledger ${tx.amount >= 0 ? 'credit' : 'debit'}`}>
              <span className="ledger-when">
                <time dateTime={tx.createdAt}>{formatWhen(tx.createdAt)}</time>
              </span>
              <span className="ledger-type">{t.history.types[tx.type]}</span>
              <span className="ledger-amount">
                <span className="sr-only">{t.history.columns.amount}: </span>
                {signedCredits(tx.amount)}
              </span>
              <span className="ledger-after">
                <span className="sr-only">{t.history.columns.balanceAfter}: </span>
                {formatCredits(tx.balanceAfter)}
              </span>
              <span className="ledger-what">
                {tx.itemName ??
                  (battleId !== null ? (
                    <a
                      href={`/battles/${battleId}`}
                      onClick={(event) => {
                        event.preventDefault();
                        navigate({ name: 'battle', id: battleId });
                      }}
                    >
                      {w.history.battleLink}
                    </a>
                  ) : (
                    ''
                  ))}
              </span>
            </li>
          );
        }}
      />
    </Screen>
  );
}
