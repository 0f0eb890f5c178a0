/**
 * The inventory: owned items page by page; selling one is confirmed with the balance after it; L lists the
 * one under the cursor on the market at a typed price (it then shows as listed: in escrow, not sellable).
 */
import { formatCredits, type OwnedItem, type SellResponse } from '@metagameplay/protocol';
import { Box, Text, useInput } from 'ink';
import { useEffect, useState } from 'react';
import { Frame, type Notice, useListRows } from '../components/frame';
import { StakeField } from '../components/stake-field';
import { stakeFieldKey } from '../logic/stake-input';
import { PagedRows } from '../components/paged-rows';
import { Row } from '../components/table';
import { useGame } from '../game-context';
import { useListBrowser } from '../hooks/use-list-browser';
import { useRefState } from '../hooks/use-ref-state';
import { useTrade } from '../hooks/use-trade';
import { failureMessage, handleTradeListKey, sellOutcome, sellQuestion } from '@metagameplay/game';
import { parseCredits } from '@metagameplay/protocol';

export function InventoryScreen() {
  const game = useGame();
  const { t, api } = game;
  const balance = game.session?.player.balance ?? 0;
  const pageSize = useListRows(13);
  const [confirming, setConfirming, confirmingRef] = useRefState<OwnedItem | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  // Listing on the market: the item and the price typed so far.
  const [pricing, setPricing, pricingRef] = useRefState<{ item: OwnedItem; text: string } | null>(null);
  const [, setListing, listingRef] = useRefState(false);
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

  async function putOnMarket(item: OwnedItem, price: number): Promise<void> {
    setListing(true);
    const outcome = await game.gate.run(() => api.createListing(item.id, price));
    setListing(false);
    if (outcome.ok) {
      setNotice({ text: t.market.listed(item.name, formatCredits(price)), tone: 'good' });
      const player = game.session?.player;
      if (player) game.updatePlayer({ power: player.power - item.power, itemCount: player.itemCount - 1 });
    } else if (!outcome.handled) fail(outcome.error);
    list.reload();
  }

  useInput(
    (input, key) => {
      if (listingRef.current) return;
      const typing = pricingRef.current;
      if (typing !== null) {
        if (key.escape) return setPricing(null);
        const field = stakeFieldKey(typing.text, input, key);
        if (!field.submit) return setPricing({ ...typing, text: field.text });
        const price = parseCredits(field.text.trim());
        if (price === null || price < 1) return setNotice({ text: t.market.badPrice, tone: 'bad' });
        setPricing(null);
        return void putOnMarket(typing.item, price);
      }
      if (input.toLowerCase() === 'l' || input === 'д') {
        const item = list.selected();
        if (item && item.listingId === undefined) {
          setNotice(null);
          setPricing({ item, text: '' });
        } else if (item) setNotice({ text: t.errors.alreadyListed, tone: 'bad' });
        return;
      }
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
        if (item?.listingId !== undefined) return setNotice({ text: t.errors.alreadyListed, tone: 'bad' });
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
      keys={pricing ? t.market.priceKeys : t.inventory.keys}
      notice={confirming ? { text: sellQuestion(t, confirming, balance), tone: 'info' } : notice}
    >
      <Box justifyContent="space-between">
        {pricing ? (
          <StakeField label={t.market.pricePrompt(pricing.item.name)} value={pricing.text} editing />
        ) : (
          <Text> </Text>
        )}
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
              { text: item.listingId === undefined ? item.name : `${item.name} (${t.market.listedBadge})` },
              { text: formatCredits(item.sellPrice), width: 16, color: 'yellow' },
              { text: String(item.power), width: 8 },
            ]}
          />
        )}
      />
    </Frame>
  );
}
