/**
 * The inventory: what the pilot owns, page by page, each sold after a confirmation with the balance after,
 * or listed on the market at a price (then shown as listed: in escrow, neither sellable nor counted for
 * power until it is sold, cancelled on the Market screen, or expires).
 */
import { failureMessage, sellOutcome } from '@metagameplay/game';
import { formatCredits, type OwnedItem } from '@metagameplay/protocol';
import { useEffect, useState } from 'react';
import { ConfirmDialog } from '../components/confirm-dialog';
import { PriceDialog } from '../components/price-dialog';
import { PagedView } from '../components/paged-view';
import { Screen } from '../components/screen';
import { Stat } from '../components/stat';
import { useGame, useSession } from '../game-context';
import { usePagedList } from '../hooks/use-paged-list';

const PAGE_SIZE = 12;

export function InventoryScreen() {
  const { t, w, api, gate, updatePlayer, notify } = useGame();
  const { player } = useSession();
  const [asking, setAsking] = useState<OwnedItem | null>(null);
  const [listing, setListing] = useState<OwnedItem | null>(null);
  const [busy, setBusy] = useState(false);
  const list = usePagedList<OwnedItem>((cursor) =>
    api.myItems({ limit: PAGE_SIZE, ...(cursor === null ? {} : { cursor }) }),
  );

  useEffect(() => list.reset(), []);

  async function sell(item: OwnedItem): Promise<void> {
    setBusy(true);
    notify({ text: t.inventory.selling, tone: 'info' });
    const outcome = await gate.run(() => api.sell(item.id));
    setBusy(false);
    if (!outcome.ok && outcome.handled) return;
    const next = sellOutcome(t, item, player, outcome);
    notify(next.notice);
    if (next.player) updatePlayer(next.player);
    if (next.reload) list.reload();
  }

  async function putOnMarket(item: OwnedItem, price: number): Promise<void> {
    setBusy(true);
    const outcome = await gate.run(() => api.createListing(item.id, price));
    setBusy(false);
    if (!outcome.ok && outcome.handled) return;
    notify(
      outcome.ok
        ? { text: t.market.listed(item.name, formatCredits(price)), tone: 'good' }
        : { text: failureMessage(t, outcome.error), tone: 'bad' },
    );
    if (outcome.ok) updatePlayer({ power: player.power - item.power, itemCount: player.itemCount - 1 });
    list.reload();
  }

  return (
    <Screen heading={t.inventory.heading} wide>
      <PagedView
        list={list}
        empty={t.inventory.empty}
        label={t.inventory.heading}
        row={(item) => (
          <li key={item.id} className="row item inventory-row">
            <span className="item-name">{item.name}</span>
            <Stat kind="power" label={t.inventory.columns.power} title={t.inventory.columns.power}>
              {item.power}
            </Stat>
            <span className="item-price">
              <span className="sr-only">{t.inventory.columns.sellPrice}: </span>
              {t.credits(formatCredits(item.sellPrice))}
            </span>
            <span className="item-action">
              {item.listingId === undefined ? (
                <>
                  <button
                    type="button"
                    className="button small ghost"
                    aria-label={t.market.listItem(item.name)}
                    disabled={busy}
                    onClick={() => setListing(item)}
                  >
                    {t.market.list}
                  </button>
                  <button
                    type="button"
                    className="button small"
                    aria-label={w.inventory.sellItem(item.name)}
                    disabled={busy}
                    onClick={() => setAsking(item)}
                  >
                    {w.inventory.sell}
                  </button>
                </>
              ) : (
                <span className="badge listed-badge">{t.market.listedBadge}</span>
              )}
            </span>
          </li>
        )}
      />
      {listing && (
        <PriceDialog
          title={t.market.listTitle(listing.name)}
          hint={t.market.listHint}
          initial={formatCredits(listing.price)}
          submitLabel={t.market.listConfirm}
          onDone={(price) => {
            const item = listing;
            setListing(null);
            if (price !== null) void putOnMarket(item, price);
          }}
        />
      )}
      {asking && (
        <ConfirmDialog
          title={w.inventory.confirmTitle}
          question={w.inventory.confirm(
            asking.name,
            formatCredits(asking.sellPrice),
            formatCredits(player.balance + asking.sellPrice),
          )}
          confirmLabel={w.inventory.sell}
          onAnswer={(yes) => {
            const item = asking;
            setAsking(null);
            if (yes) void sell(item);
          }}
        />
      )}
    </Screen>
  );
}
