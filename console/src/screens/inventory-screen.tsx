/** The inventory: owned items page by page; selling one is confirmed with the balance after it. */
import { formatCredits, type OwnedItem, type SellResponse } from '@metagameplay/protocol';
import { Box, Text, useInput } from 'ink';
import { useEffect, useState } from 'react';
import { Frame, type Notice, useListRows } from '../components/frame';
import { PagedRows } from '../components/paged-rows';
import { Row } from '../components/table';
import { useGame } from '../game-context';
import { useListBrowser } from '../hooks/use-list-browser';
import { useRefState } from '../hooks/use-ref-state';
import { useTrade } from '../hooks/use-trade';
import { failureMessage, handleTradeListKey, sellOutcome, sellQuestion } from '@metagameplay/game';

export function InventoryScreen() {
  const game = useGame();
  const { t, api } = game;
  const balance = game.session?.player.balance ?? 0;
  const pageSize = useListRows(13);
  const [confirming, setConfirming, confirmingRef] = useRefState<OwnedItem | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const fail = (error: unknown): void => setNotice({ text: failureMessage(t, error), tone: 'bad' });

  const list = useListBrowser<OwnedItem>(
    (cursor, limit) => api.myItems(cursor === null ? { limit } : { limit, cursor }),
    fail,
    pageSize,
  );

  useEffect(() => {
    list.reset();
  }, []);

  const selling = useTrade<OwnedItem, SellResponse>({
    pending: t.inventory.selling,
    send: (item) => api.sell(item.id),
    outcome: (item, player, answer) => sellOutcome(t, item, player, answer),
    setNotice,
    list,
  });

  useInput(
    (input, key) => {
      const shared = handleTradeListKey(input, key, {
        busy: selling.busy(),
        asked: confirmingRef.current,
        trade: (item) => void selling.run(item),
        closeQuestion: () => setConfirming(null),
        move: (move) => list.move(move),
      });
      if (shared) return;
      if (key.return || input.toLowerCase() === 's') {
        const item = list.selected();
        if (item) {
          setNotice(null);
          setConfirming(item);
        }
        return;
      }
      if (key.escape || input.toLowerCase() === 'q' || input === 'й') game.go('home');
    },
    { isActive: game.inputActive },
  );

  const { state } = list;
  return (
    <Frame
      heading={t.inventory.heading}
      keys={t.inventory.keys}
      notice={confirming ? { text: sellQuestion(t, confirming, balance), tone: 'info' } : notice}
    >
      <Box justifyContent="flex-end">
        <Text>{t.shop.balance(formatCredits(balance))}</Text>
      </Box>
      <Row
        bold
        columns={[
          { text: t.inventory.columns.name },
          { text: t.inventory.columns.sellPrice, width: 16 },
          { text: t.inventory.columns.power, width: 8 },
        ]}
      />
      <PagedRows
        state={state}
        rows={pageSize}
        empty={t.inventory.empty}
        row={(item, index) => (
          <Row
            key={item.id}
            selected={index === state.selected}
            columns={[
              { text: item.name },
              { text: formatCredits(item.sellPrice), width: 16, color: 'yellow' },
              { text: String(item.power), width: 8 },
            ]}
          />
        )}
      />
    </Frame>
  );
}
