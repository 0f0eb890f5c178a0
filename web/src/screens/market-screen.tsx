/**
 * The market between pilots: the active listings (cheapest or newest first, search as you type, page by
 * page), a purchase confirmed with the balance after it, and the pilot's own listings with cancel. A sale
 * of one of them shows up live (the app's notice on any screen; here the list refreshes too). Listing
 * an item is done from the inventory.
 */
import { failureMessage, MAX_SEARCH_LENGTH, searchParam } from '@metagameplay/game';
import { formatCredits, type Listing } from '@metagameplay/protocol';
import { useEffect, useRef, useState } from 'react';
import { ConfirmDialog } from '../components/confirm-dialog';
import { PagedView } from '../components/paged-view';
import { Screen } from '../components/screen';
import { useGame, useSession } from '../game-context';
import { useDebounced } from '../hooks/use-debounced';
import { usePagedList } from '../hooks/use-paged-list';

const PAGE_SIZE = 12;
const SEARCH_DEBOUNCE_MS = 300;

export function MarketScreen() {
  const { t, api, gate, live, updatePlayer, notify } = useGame();
  const m = t.market;
  const { player } = useSession();
  const [search, setSearch] = useState('');
  const debounced = useDebounced(search, SEARCH_DEBOUNCE_MS);
  const [sort, setSort] = useState<'price' | 'newest'>('price');
  const [asking, setAsking] = useState<Listing | null>(null);
  const [busy, setBusy] = useState(false);
  const [mine, setMine] = useState<readonly Listing[]>([]);
  const query = useRef<{ search?: string; sort: 'price' | 'newest' }>({ sort: 'price' });

  const list = usePagedList<Listing>(async (cursor) => {
    const page = await api.marketListings({
      limit: PAGE_SIZE,
      sort: query.current.sort,
      ...(cursor === null ? {} : { cursor }),
      ...(query.current.search === undefined ? {} : { search: query.current.search }),
    });
    return { items: page.listings, nextCursor: page.nextCursor };
  });

  async function loadMine(): Promise<void> {
    const outcome = await gate.run(() => api.myListings());
    if (outcome.ok) setMine(outcome.value.listings);
  }
  const loadMineRef = useRef(loadMine);
  loadMineRef.current = loadMine;

  useEffect(() => {
    const search = searchParam(debounced);
    query.current = { sort, ...(search === undefined ? {} : { search }) };
    list.reset();
  }, [debounced, sort]);

  useEffect(() => {
    void loadMineRef.current();
    return live.on('market.sold', () => {
      void loadMineRef.current();
      list.reload();
    });
  }, []);

  async function buy(listing: Listing): Promise<void> {
    setBusy(true);
    notify({ text: m.buying, tone: 'info' });
    const outcome = await gate.run(() => api.buyListing(listing.id, { expectedPrice: listing.price }));
    setBusy(false);
    if (!outcome.ok && outcome.handled) return;
    if (outcome.ok) {
      updatePlayer({ balance: outcome.value.balance });
      notify({ text: m.bought(listing.itemName, formatCredits(outcome.value.balance)), tone: 'good' });
    } else {
      notify({ text: failureMessage(t, outcome.error), tone: 'bad' });
    }
    list.reload();
  }

  async function cancel(listing: Listing): Promise<void> {
    setBusy(true);
    const outcome = await gate.run(() => api.cancelListing(listing.id));
    setBusy(false);
    if (!outcome.ok && outcome.handled) return;
    notify(
      outcome.ok
        ? { text: m.cancelled(listing.itemName), tone: 'good' }
        : { text: failureMessage(t, outcome.error), tone: 'bad' },
    );
    void loadMine();
    list.reload();
  }

  function ask(listing: Listing): void {
    if (listing.price > player.balance) {
      notify({
        text: t.shop.cannotAfford(formatCredits(listing.price), formatCredits(player.balance)),
        tone: 'bad',
      });
    } else setAsking(listing);
  }

  return (
    <Screen heading={m.heading} wide>
      <p className="hint">{m.blurb}</p>
      <div className="toolbar">
        <label className="field search">
          <span>{m.searchLabel}</span>
          <input
            type="search"
            name="search"
            value={search}
            maxLength={MAX_SEARCH_LENGTH}
            autoComplete="off"
            onChange={(e) => setSearch(e.target.value)}
          />
        </label>
        <label className="field">
          <span>{m.sortLabel}</span>
          <select
            name="sort"
            value={sort}
            onChange={(e) => setSort(e.target.value === 'newest' ? 'newest' : 'price')}
          >
            <option value="price">{m.sortPrice}</option>
            <option value="newest">{m.sortNewest}</option>
          </select>
        </label>
        <p className="balance-line">{t.shop.balance(formatCredits(player.balance))}</p>
      </div>
      <PagedView
        list={list}
        empty={m.empty}
        label={m.heading}
        row={(listing) => {
          const own = listing.sellerId === player.id;
          const tooDear = !own && listing.price > player.balance;
          return (
            <li key={listing.id} className={`row item listing${tooDear ? ' dim' : ''}`}>
              <span className="item-name">{listing.itemName}</span>
              <span className="listing-seller">
                <span className="sr-only">{m.columns.seller}: </span>
                {listing.sellerNickname}
              </span>
              <span className="item-price">
                <span className="sr-only">{m.columns.price}: </span>
                {t.credits(formatCredits(listing.price))}
              </span>
              <span className="item-action">
                {own ? (
                  <span className="badge owned-badge">{m.ownBadge}</span>
                ) : (
                  <button
                    type="button"
                    className="button small"
                    aria-label={m.buyItem(listing.itemName, listing.sellerNickname)}
                    disabled={busy}
                    aria-disabled={tooDear}
                    onClick={() => ask(listing)}
                  >
                    {m.buy}
                  </button>
                )}
              </span>
            </li>
          );
        }}
      />
      <section className="panel my-listings" aria-labelledby="my-listings-heading">
        <h2 id="my-listings-heading">{m.mineHeading}</h2>
        {mine.length === 0 ? (
          <p className="hint">{m.mineEmpty}</p>
        ) : (
          <ul className="rows" aria-label={m.mineHeading}>
            {mine.map((listing) => (
              <li key={listing.id} className={`row item listing status-${listing.status}`}>
                <span className="item-name">{listing.itemName}</span>
                <span className="item-price">
                  <span className="sr-only">{m.columns.price}: </span>
                  {t.credits(formatCredits(listing.price))}
                </span>
                <span className="listing-status">
                  <span className="sr-only">{m.columns.status}: </span>
                  {m.status[listing.status]}
                </span>
                <span className="item-action">
                  {listing.status === 'active' && (
                    <button
                      type="button"
                      className="button small ghost"
                      aria-label={m.cancelItem(listing.itemName)}
                      disabled={busy}
                      onClick={() => void cancel(listing)}
                    >
                      {m.cancel}
                    </button>
                  )}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
      {asking && (
        <ConfirmDialog
          title={m.confirmTitle}
          question={m.confirm(
            asking.itemName,
            asking.sellerNickname,
            formatCredits(asking.price),
            formatCredits(player.balance - asking.price),
          )}
          confirmLabel={m.buy}
          onAnswer={(yes) => {
            const listing = asking;
            setAsking(null);
            if (yes) void buy(listing);
          }}
        />
      )}
    </Screen>
  );
}
