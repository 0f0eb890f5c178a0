/** The inventory: what the pilot owns, page by page, each sold after a confirmation with the balance after. */
import { sellOutcome } from '@metagameplay/game';
import { formatCredits, type OwnedItem } from '@metagameplay/protocol';
import { useEffect, useState } from 'react';
import { ConfirmDialog } from '../components/confirm-dialog';
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

  return (
    <Screen heading={t.inventory.heading} wide>
      <PagedView
        list={list}
        empty={t.inventory.empty}
        label={t.inventory.heading}
        row={(item) => (
          <li key={item.id} className="row item">
            <span className="item-name">{item.name}</span>
            <Stat kind="power" label={t.inventory.columns.power} title={t.inventory.columns.power}>
              {item.power}
            </Stat>
            <span className="item-price">
              <span className="sr-only">{t.inventory.columns.sellPrice}: </span>
              {t.credits(formatCredits(item.sellPrice))}
            </span>
            <span className="item-action">
              <button
                type="button"
                className="button small"
                aria-label={w.inventory.sellItem(item.name)}
                disabled={busy}
                onClick={() => setAsking(item)}
              >
                {w.inventory.sell}
              </button>
            </span>
          </li>
        )}
      />
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
