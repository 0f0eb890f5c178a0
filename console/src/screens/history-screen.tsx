/** Transaction history: the ledger, newest first, page by page. */
import { formatCredits, type Transaction } from '@metagameplay/protocol';
import { PagedListScreen } from '../components/paged-list-screen';
import { useGame } from '../game-context';
import { formatWhen, signedCredits } from '@metagameplay/game';

export function HistoryScreen() {
  const { t, api } = useGame();
  const c = t.history.columns;
  return (
    <PagedListScreen<Transaction>
      heading={t.history.heading}
      keys={t.history.keys}
      empty={t.history.empty}
      fetchPage={async (query) => {
        const page = await api.transactions(query);
        return { items: page.transactions, nextCursor: page.nextCursor };
      }}
      rowKey={(tx) => tx.id}
      columns={[
        { title: c.when, width: 18, cell: (tx) => formatWhen(tx.createdAt) },
        { title: c.type, width: 16, cell: (tx) => t.history.types[tx.type] ?? tx.type },
        {
          title: c.amount,
          width: 14,
          cell: (tx) => ({ text: signedCredits(tx.amount), color: tx.amount < 0 ? 'red' : 'green' }),
        },
        { title: c.balanceAfter, width: 14, cell: (tx) => formatCredits(tx.balanceAfter) },
        // The item, or an admin grant's reason.
        {
          title: c.item,
          cell: (tx) => tx.itemName ?? (tx.itemId === null ? (tx.note ?? '') : `#${tx.itemId}`),
        },
      ]}
    />
  );
}
