/** Transaction history: the ledger, newest first, page by page. */
import { formatCredits, type Transaction } from '@metagameplay/protocol';
import { useInput } from 'ink';
import { useEffect, useState } from 'react';
import { Frame, type Notice, useListRows } from '../components/frame';
import { PagedRows } from '../components/paged-rows';
import { Row } from '../components/table';
import { useGame } from '../game-context';
import { useListBrowser } from '../hooks/use-list-browser';
import { failureMessage, formatWhen, listMoveForKey, signedCredits } from '@metagameplay/game';

export function HistoryScreen() {
  const game = useGame();
  const { t, api } = game;
  const pageSize = useListRows(12);
  const [notice, setNotice] = useState<Notice | null>(null);
  const list = useListBrowser<Transaction>(
    async (cursor, limit) => {
      const page = await api.transactions(cursor === null ? { limit } : { limit, cursor });
      return { items: page.transactions, nextCursor: page.nextCursor };
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

  const { state } = list;
  const c = t.history.columns;
  return (
    <Frame heading={t.history.heading} keys={t.history.keys} notice={notice}>
      <Row
        bold
        columns={[
          { text: c.when, width: 18 },
          { text: c.type, width: 16 },
          { text: c.amount, width: 14 },
          { text: c.balanceAfter, width: 14 },
          { text: c.item },
        ]}
      />
      <PagedRows
        state={state}
        rows={pageSize}
        empty={t.history.empty}
        row={(tx, index) => (
          <Row
            key={tx.id}
            selected={index === state.selected}
            columns={[
              { text: formatWhen(tx.createdAt), width: 18 },
              { text: t.history.types[tx.type] ?? tx.type, width: 16 },
              { text: signedCredits(tx.amount), width: 14, color: tx.amount < 0 ? 'red' : 'green' },
              { text: formatCredits(tx.balanceAfter), width: 14 },
              // The item, or an admin grant's reason.
              { text: tx.itemName ?? (tx.itemId === null ? (tx.note ?? '') : `#${tx.itemId}`) },
            ]}
          />
        )}
      />
    </Frame>
  );
}
