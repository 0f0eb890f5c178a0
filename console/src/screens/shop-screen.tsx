/**
 * The shop: the catalog page by page (server cursors), type-to-search (debounced), owned items marked,
 * unaffordable ones dimmed, and a purchase confirmed with the balance after it.
 */
import { type BuyResponse, formatCredits, type ShopItem } from '@metagameplay/protocol';
import { Box, Text, useInput } from 'ink';
import { useEffect, useRef, useState } from 'react';
import { Frame, type Notice, useListRows } from '../components/frame';
import { PagedRows } from '../components/paged-rows';
import { Row } from '../components/table';
import { useGame } from '../game-context';
import { useListBrowser } from '../hooks/use-list-browser';
import { useRefState } from '../hooks/use-ref-state';
import { useTrade } from '../hooks/use-trade';
import {
  buyOutcome,
  buyQuestion,
  checkBuy,
  editSearch,
  failureMessage,
  handleTradeListKey,
  loadOwnedIds,
  searchParam,
} from '@metagameplay/game';

const SEARCH_DEBOUNCE_MS = 300;

export function ShopScreen() {
  const game = useGame();
  const { t, api, gate } = game;
  const balance = game.session?.player.balance ?? 0;
  const pageSize = useListRows(14);
  const [search, setSearch, searchRef] = useRefState('');
  const [owned, setOwned] = useState<ReadonlySet<number>>(new Set());
  const [confirming, setConfirming, confirmingRef] = useRefState<ShopItem | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const fail = (error: unknown): void => setNotice({ text: failureMessage(t, error), tone: 'bad' });

  const list = useListBrowser<ShopItem>(
    (cursor, limit) =>
      api.shopItems({
        limit,
        ...(cursor === null ? {} : { cursor }),
        ...(searchParam(searchRef.current) === undefined ? {} : { search: searchParam(searchRef.current) }),
      }),
    fail,
    pageSize,
  );

  // First page, the owned ids and a fresh balance when the shop opens.
  useEffect(() => {
    list.reset();
    void (async () => {
      const ids = await gate.run(() => loadOwnedIds(api));
      if (ids.ok) setOwned(ids.value);
      const me = await gate.run(() => api.me());
      if (me.ok) game.updatePlayer(me.value);
    })();
  }, []);

  // A new search starts over at the first page once typing pauses.
  const firstRender = useRef(true);
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    const timer = setTimeout(() => list.reset(), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [search]);

  const buying = useTrade<ShopItem, BuyResponse>({
    pending: t.shop.buying,
    send: (item) => api.buy(item.id, { expectedPrice: item.price }),
    outcome: (item, player, answer) => buyOutcome(t, item, player, answer),
    setNotice,
    list,
    markOwned: (item) => setOwned((ids) => new Set(ids).add(item.id)),
  });

  useInput(
    (input, key) => {
      const shared = handleTradeListKey(input, key, {
        busy: buying.busy(),
        asked: confirmingRef.current,
        trade: (item) => void buying.run(item),
        closeQuestion: () => setConfirming(null),
        move: (move) => list.move(move),
      });
      if (shared) return;
      if (key.return) {
        const item = list.selected();
        if (!item) return;
        const check = checkBuy(t, item, balance, owned);
        if (check.ok) {
          setNotice(null);
          setConfirming(item);
        } else setNotice({ text: check.message, tone: 'bad' });
        return;
      }
      if (key.escape) {
        if (searchRef.current === '') return game.go('home');
        return setSearch('');
      }
      if (key.ctrl || key.meta || key.tab) return;
      const next = editSearch(searchRef.current, input, key);
      if (next !== searchRef.current) setSearch(next);
    },
    { isActive: game.inputActive },
  );

  const { state } = list;
  return (
    <Frame
      heading={t.shop.heading}
      keys={t.shop.keys}
      notice={confirming ? { text: buyQuestion(t, confirming, balance), tone: 'info' } : notice}
    >
      <Box justifyContent="space-between">
        <Text>
          {t.shop.search}
          <Text color="yellow">{search}</Text>
          {search === '' ? <Text dimColor>{t.shop.searchHint}</Text> : <Text inverse> </Text>}
        </Text>
        <Text>{t.shop.balance(formatCredits(balance))}</Text>
      </Box>
      <Row
        bold
        columns={[
          { text: t.shop.columns.name },
          { text: '', width: 8 },
          { text: t.shop.columns.price, width: 16 },
          { text: t.shop.columns.power, width: 8 },
        ]}
      />
      <PagedRows
        state={state}
        rows={pageSize}
        empty={t.shop.empty}
        row={(item, index) => {
          const mine = owned.has(item.id);
          return (
            <Row
              key={item.id}
              selected={index === state.selected}
              dim={!mine && item.price > balance}
              columns={[
                { text: item.name },
                { text: mine ? `✓ ${t.shop.owned}` : '', width: 8, color: 'green' },
                { text: formatCredits(item.price), width: 16, color: 'yellow' },
                { text: String(item.power), width: 8 },
              ]}
            />
          );
        }}
      />
    </Frame>
  );
}
