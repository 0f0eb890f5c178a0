/**
 * The market between pilots: other pilots' listings cheapest first (type to search, page by page), a
 * purchase confirmed with the balance after it; Tab shows the pilot's own listings, where C cancels one
 * (the item comes back). A sale of one of them shows up live (the frame's line, on any screen) and the
 * lists refresh. Listing an item is done from the inventory (L).
 */
import { formatCredits, type Listing } from '@metagameplay/protocol';
import { Box, Text, useInput } from 'ink';
import { useEffect, useRef, useState } from 'react';
import { Frame, type Notice, useListRows } from '../components/frame';
import { PagedRows } from '../components/paged-rows';
import { Row } from '../components/table';
import { useGame } from '../game-context';
import { useListBrowser } from '../hooks/use-list-browser';
import { useRefState } from '../hooks/use-ref-state';
import { confirmAnswer, editSearch, failureMessage, listMoveForKey, searchParam } from '@metagameplay/game';

const SEARCH_DEBOUNCE_MS = 300;

export function MarketScreen() {
  const game = useGame();
  const { t, api, gate, live } = game;
  const m = t.market;
  const me = game.session?.player;
  const balance = me?.balance ?? 0;
  const pageSize = useListRows(13);
  const [search, setSearch, searchRef] = useRefState('');
  const [mine, setMine, mineRef] = useRefState(false);
  const [confirming, setConfirming, confirmingRef] = useRefState<Listing | null>(null);
  const [, setBusy, busyRef] = useRefState(false);
  const [notice, setNotice] = useState<Notice | null>(null);
  const fail = (error: unknown): void => setNotice({ text: failureMessage(t, error), tone: 'bad' });

  const list = useListBrowser<Listing>(
    async (cursor, limit) => {
      if (mineRef.current) {
        const { listings } = await api.myListings();
        return { items: listings, nextCursor: null };
      }
      const query = searchParam(searchRef.current);
      const page = await api.marketListings({
        limit,
        ...(cursor === null ? {} : { cursor }),
        ...(query === undefined ? {} : { search: query }),
      });
      return { items: page.listings, nextCursor: page.nextCursor };
    },
    fail,
    pageSize,
  );
  const listRef = useRef(list);
  listRef.current = list;

  useEffect(() => {
    list.reset();
    return live.on('market.sold', () => listRef.current.reload());
  }, []);

  const firstRender = useRef(true);
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    const timer = setTimeout(() => list.reset(), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [search, mine]);

  async function buy(listing: Listing): Promise<void> {
    setBusy(true);
    setNotice({ text: m.buying, tone: 'info' });
    const outcome = await gate.run(() => api.buyListing(listing.id, { expectedPrice: listing.price }));
    setBusy(false);
    if (outcome.ok) {
      game.updatePlayer({ balance: outcome.value.balance });
      setNotice({ text: m.bought(listing.itemName, formatCredits(outcome.value.balance)), tone: 'good' });
    } else if (!outcome.handled) fail(outcome.error);
    list.reload();
  }

  async function cancel(listing: Listing): Promise<void> {
    setBusy(true);
    const outcome = await gate.run(() => api.cancelListing(listing.id));
    setBusy(false);
    if (outcome.ok) setNotice({ text: m.cancelled(listing.itemName), tone: 'good' });
    else if (!outcome.handled) fail(outcome.error);
    list.reload();
  }

  useInput(
    (input, key) => {
      if (busyRef.current) return;
      const asked = confirmingRef.current;
      if (asked !== null) {
        const answer = confirmAnswer(input, key);
        if (answer === 'yes') void buy(asked);
        if (answer !== null) setConfirming(null);
        return;
      }
      const move = listMoveForKey(key);
      if (move) return list.move(move);
      if (key.tab) {
        setNotice(null);
        return setMine(!mineRef.current);
      }
      if (key.escape) {
        if (mineRef.current) return setMine(false);
        if (searchRef.current === '') return game.go('home');
        return setSearch('');
      }
      const selected = list.selected();
      if (mineRef.current) {
        const letter = input.toLowerCase();
        if ((letter === 'c' || letter === 'с' || key.return) && selected?.status === 'active')
          void cancel(selected);
        return;
      }
      if (key.return) {
        if (!selected) return;
        if (selected.sellerId === me?.id) return setNotice({ text: t.errors.ownListing, tone: 'bad' });
        if (selected.price > balance) {
          return setNotice({
            text: t.shop.cannotAfford(formatCredits(selected.price), formatCredits(balance)),
            tone: 'bad',
          });
        }
        setNotice(null);
        return setConfirming(selected);
      }
      if (key.ctrl || key.meta) return;
      const next = editSearch(searchRef.current, input, key);
      if (next !== searchRef.current) setSearch(next);
    },
    { isActive: game.inputActive },
  );

  const question = confirming
    ? m.confirm(
        confirming.itemName,
        confirming.sellerNickname,
        formatCredits(confirming.price),
        formatCredits(balance - confirming.price),
      )
    : null;
  const { state } = list;
  return (
    <Frame
      heading={mine ? m.mineHeading : m.heading}
      keys={mine ? m.mineKeys : m.keys}
      notice={question ? { text: `${question} ${m.answerKeys}`, tone: 'info' } : notice}
    >
      <Box justifyContent="space-between">
        <Text>{mine ? '' : `${m.searchLabel}: ${search}`}</Text>
        <Text>{t.shop.balance(formatCredits(balance))}</Text>
      </Box>
      <Row
        bold
        columns={[
          { text: m.columns.item },
          { text: mine ? m.columns.status : m.columns.seller, width: 18 },
          { text: m.columns.price, width: 14 },
        ]}
      />
      <PagedRows
        state={state}
        rows={pageSize}
        empty={mine ? m.mineEmpty : m.empty}
        row={(listing, index) => (
          <Row
            key={listing.id}
            selected={index === state.selected}
            columns={[
              { text: listing.itemName },
              {
                text: mine
                  ? m.status[listing.status]
                  : listing.sellerId === me?.id
                    ? `${listing.sellerNickname} (${m.ownBadge})`
                    : listing.sellerNickname,
                width: 18,
              },
              { text: formatCredits(listing.price), width: 14, color: 'yellow' },
            ]}
          />
        )}
      />
    </Frame>
  );
}
