/**
 * The shop: the catalog page by page (server cursors), search as you type (debounced), owned items
 * marked, unaffordable ones dimmed, and a purchase confirmed with the balance after it. A refused buy
 * says why (a changed price shows the new one) and updates what the screen shows.
 */
import { buyOutcome, checkBuy, loadOwnedIds, MAX_SEARCH_LENGTH, searchParam } from '@metagameplay/game';
import { formatCredits, type ShopItem } from '@metagameplay/protocol';
import { useEffect, useRef, useState } from 'react';
import { ConfirmDialog } from '../components/confirm-dialog';
import { PagedView } from '../components/paged-view';
import { Screen } from '../components/screen';
import { ShopItemRow } from '../components/shop-item-row';
import { useGame, useSession } from '../game-context';
import { useDebounced } from '../hooks/use-debounced';
import { usePagedList } from '../hooks/use-paged-list';

export const SEARCH_DEBOUNCE_MS = 300;
const PAGE_SIZE = 12;

export function ShopScreen() {
  const { t, w, api, gate, updatePlayer, notify } = useGame();
  const { player } = useSession();
  const balance = player.balance;
  const [search, setSearch] = useState('');
  const debounced = useDebounced(search, SEARCH_DEBOUNCE_MS);
  const [owned, setOwned] = useState<ReadonlySet<number>>(new Set());
  const [asking, setAsking] = useState<ShopItem | null>(null);
  const [busy, setBusy] = useState(false);
  const query = useRef<string | undefined>(undefined);

  const list = usePagedList<ShopItem>((cursor) =>
    api.shopItems({
      limit: PAGE_SIZE,
      ...(cursor === null ? {} : { cursor }),
      ...(query.current === undefined ? {} : { search: query.current }),
    }),
  );

  useEffect(() => {
    void (async () => {
      const ids = await gate.run(() => loadOwnedIds(api));
      if (ids.ok) setOwned(ids.value);
    })();
  }, []);

  // The first page on opening, and again from the first page whenever the typed search settles.
  useEffect(() => {
    query.current = searchParam(debounced);
    list.reset();
  }, [debounced]);

  async function buy(item: ShopItem): Promise<void> {
    setBusy(true);
    notify({ text: t.shop.buying, tone: 'info' });
    const outcome = await gate.run(() => api.buy(item.id, { expectedPrice: item.price }));
    setBusy(false);
    if (!outcome.ok && outcome.handled) return;
    const next = buyOutcome(t, item, player, outcome);
    notify(
      outcome.ok
        ? {
            ...next.notice,
            text: `${next.notice.text} ${w.shop.boughtBalance(formatCredits(outcome.value.balance))}`,
          }
        : next.notice,
    );
    if (next.player) updatePlayer(next.player);
    if (next.owned) setOwned((ids) => new Set(ids).add(item.id));
    const { price } = next;
    if (price !== null) list.update((row) => (row.id === item.id ? { ...row, price } : row));
    if (next.reload) list.reload();
  }

  function ask(item: ShopItem): void {
    const check = checkBuy(t, item, balance, owned);
    if (check.ok) setAsking(item);
    else notify({ text: check.message, tone: 'bad' });
  }

  return (
    <Screen heading={t.shop.heading} wide>
      <div className="toolbar">
        <label className="field search">
          <span>{w.shop.searchLabel}</span>
          <input
            type="search"
            name="search"
            value={search}
            maxLength={MAX_SEARCH_LENGTH}
            placeholder={w.shop.searchPlaceholder}
            autoComplete="off"
            onChange={(e) => setSearch(e.target.value)}
          />
        </label>
        <p className="balance-line">{t.shop.balance(formatCredits(balance))}</p>
      </div>
      <PagedView
        list={list}
        empty={t.shop.empty}
        label={t.shop.heading}
        row={(item) => {
          const mine = owned.has(item.id);
          const tooDear = !mine && item.price > balance;
          return (
            <ShopItemRow key={item.id} item={item} mine={mine} tooDear={tooDear} busy={busy} onBuy={ask} />
          );
        }}
      />
      {asking && (
        <ConfirmDialog
          title={w.shop.confirmTitle}
          question={w.shop.confirm(
            asking.name,
            formatCredits(asking.price),
            formatCredits(balance - asking.price),
          )}
          confirmLabel={w.shop.buy}
          onAnswer={(yes) => {
            const item = asking;
            setAsking(null);
            if (yes) void buy(item);
          }}
        />
      )}
    </Screen>
  );
}
