/**
 * The catalog (`/admin/catalog`): every item, retired ones too, with its translations; create and
 * edit (name, English and Russian names, price in credits, power) with a preview of the item as
 * pilots see it in the shop, retire and restore; each with an optional reason for the audit log.
 */
import type { CatalogItem } from '@metagameplay/client';
import { parseCredits } from '@metagameplay/protocol';
import { formatCredits } from '@metagameplay/protocol';
import { useEffect, useState } from 'react';
import { Screen } from '../components/screen';
import { ShopItemRow } from '../components/shop-item-row';
import { ErrorState, Loading } from '../components/states';
import { useGame } from '../game-context';
import { ActionDialog } from './action-dialog';
import { useConsole } from './console-context';
import { DataTable } from './paged-table';
import { refusal } from './refusal';
import { when } from './when';

type Editing = { kind: 'create' } | { kind: 'edit' | 'retire' | 'restore'; item: CatalogItem };

const MAX_POWER = 1_000_000;

export function CatalogPage() {
  const { gate } = useGame();
  const { admin, c } = useConsole();
  const [items, setItems] = useState<CatalogItem[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [version, setVersion] = useState(0);
  const [editing, setEditing] = useState<Editing | null>(null);

  useEffect(() => {
    let live = true;
    setError(null);
    void (async () => {
      const outcome = await gate.run(() => admin.catalog());
      if (!live) return;
      if (outcome.ok) setItems([...outcome.value.items].sort((a, b) => a.id - b.id));
      else if (!outcome.handled) setError(outcome.error);
    })();
    return () => {
      live = false;
    };
  }, [version]);

  const newItem = (
    <button type="button" className="button primary" onClick={() => setEditing({ kind: 'create' })}>
      {c.catalog.create}
    </button>
  );

  return (
    <Screen heading={c.catalog.heading} actions={newItem} wide>
      {items === null ? (
        error !== null ? (
          <ErrorState error={error} onRetry={() => setVersion((n) => n + 1)} />
        ) : (
          <Loading />
        )
      ) : items.length === 0 ? (
        <p className="empty">{c.catalog.empty}</p>
      ) : (
        <DataTable
          label={c.catalog.items}
          rows={items}
          rowKey={(item) => item.id}
          columns={[
            { header: c.catalog.columns.id, cell: (item) => item.id, className: 'num' },
            { header: c.catalog.columns.name, cell: (item) => item.name },
            {
              header: c.catalog.columns.translations,
              cell: (item) =>
                Object.entries(item.names)
                  .map(([lang, text]) => `${lang}: ${text}`)
                  .join(' · ') || '—',
            },
            { header: c.catalog.columns.price, cell: (item) => formatCredits(item.price), className: 'num' },
            { header: c.catalog.columns.power, cell: (item) => item.power, className: 'num' },
            {
              header: c.catalog.columns.status,
              cell: (item) => (
                <span className={`badge ${item.active ? 'status-ok' : 'status-off'}`}>
                  {item.active ? c.catalog.inShop : c.catalog.retired}
                </span>
              ),
            },
            { header: c.catalog.columns.updated, cell: (item) => when(item.updatedAt) },
            {
              header: c.catalog.columns.actions,
              cell: (item) => (
                <span className="row-actions">
                  <button
                    type="button"
                    className="button small ghost"
                    aria-label={c.catalog.editItem(item.name)}
                    onClick={() => setEditing({ kind: 'edit', item })}
                  >
                    {c.catalog.edit}
                  </button>
                  {item.active ? (
                    <button
                      type="button"
                      className="button small danger"
                      aria-label={c.catalog.retireItem(item.name)}
                      onClick={() => setEditing({ kind: 'retire', item })}
                    >
                      {c.catalog.retire}
                    </button>
                  ) : (
                    <button
                      type="button"
                      className="button small"
                      aria-label={c.catalog.restoreItem(item.name)}
                      onClick={() => setEditing({ kind: 'restore', item })}
                    >
                      {c.catalog.restore}
                    </button>
                  )}
                </span>
              ),
            },
          ]}
        />
      )}
      {editing !== null && (
        <CatalogAction
          editing={editing}
          onClose={() => setEditing(null)}
          onDone={() => setVersion((n) => n + 1)}
        />
      )}
    </Screen>
  );
}

function CatalogAction(props: { editing: Editing; onClose: () => void; onDone: () => void }) {
  const { t, gate, notify } = useGame();
  const { admin, c } = useConsole();
  const { editing } = props;

  async function run(call: () => Promise<unknown>, done: string): Promise<string | null> {
    const outcome = await gate.run(call);
    if (!outcome.ok) return outcome.handled ? null : refusal(c, t, outcome.error);
    notify({ text: done, tone: 'good' });
    props.onDone();
    return null;
  }

  if (editing.kind === 'retire' || editing.kind === 'restore') {
    const { item } = editing;
    const retire = editing.kind === 'retire';
    return (
      <ActionDialog
        title={retire ? c.catalog.retireTitle(item.name) : c.catalog.restoreTitle(item.name)}
        note={retire ? c.catalog.retireNote : c.catalog.restoreNote}
        submitLabel={retire ? c.catalog.retire : c.catalog.restore}
        danger={retire}
        reason="optional"
        onClose={props.onClose}
        onSubmit={(reason) => {
          const body = reason === undefined ? undefined : { reason };
          return retire
            ? run(() => admin.deleteItem(item.id, body), c.catalog.retiredDone(item.name))
            : run(() => admin.restoreItem(item.id, body), c.catalog.restoredDone(item.name));
        }}
      />
    );
  }
  return <ItemForm item={editing.kind === 'edit' ? editing.item : null} run={run} onClose={props.onClose} />;
}

function ItemForm(props: {
  item: CatalogItem | null;
  run: (call: () => Promise<unknown>, done: string) => Promise<string | null>;
  onClose: () => void;
}) {
  const { lang } = useGame();
  const { admin, c } = useConsole();
  const { item } = props;
  const [name, setName] = useState(item?.name ?? '');
  const [nameEn, setNameEn] = useState(item?.names.en ?? '');
  const [nameRu, setNameRu] = useState(item?.names.ru ?? '');
  const [price, setPrice] = useState(item === null ? '' : formatCredits(item.price));
  const [power, setPower] = useState(item === null ? '' : String(item.power));

  const names = (): Record<string, string> => {
    const set: Record<string, string> = {};
    if (nameEn.trim() !== '') set.en = nameEn.trim();
    if (nameRu.trim() !== '') set.ru = nameRu.trim();
    return set;
  };
  const powerValue = (): number | null => {
    const value = Number(power.trim());
    return /^\d+$/.test(power.trim()) && value <= MAX_POWER ? value : null;
  };
  const priceValue = (): number | null => parseCredits(price.replace(',', '.'));
  const validate = (): string | null => {
    const length = [...name.trim()].length;
    if (length < 1 || length > 100) return c.catalog.nameProblem;
    if (priceValue() === null) return c.catalog.priceProblem;
    if (powerValue() === null) return c.catalog.powerProblem;
    return null;
  };

  // The preview: the name in the operator's language, as the shop would pick it.
  const shown = (lang === 'ru' ? nameRu : nameEn).trim() || name.trim() || '…';
  const preview = {
    id: item?.id ?? 0,
    name: shown,
    price: priceValue() ?? 0,
    power: powerValue() ?? 0,
    lowestMarketPrice: null,
  };

  return (
    <ActionDialog
      title={item === null ? c.catalog.createTitle : c.catalog.editTitle(item.name)}
      submitLabel={item === null ? c.catalog.create : c.catalog.save}
      reason="optional"
      validate={validate}
      onClose={props.onClose}
      onSubmit={(reason) => {
        const trimmed = name.trim();
        const common = {
          price: priceValue() ?? 0,
          power: powerValue() ?? 0,
          ...(reason === undefined ? {} : { reason }),
        };
        if (item === null) {
          const set = names();
          return props.run(
            () =>
              admin.createItem({
                name: trimmed,
                ...common,
                ...(Object.keys(set).length > 0 ? { names: set } : {}),
              }),
            c.catalog.created(trimmed),
          );
        }
        // A rename is sent only when the name changed (the server drops translations on a rename, and
        // the ones typed here are sent with it, replacing the old set).
        return props.run(
          () =>
            admin.updateItem(item.id, {
              ...(trimmed === item.name ? {} : { name: trimmed }),
              ...common,
              names: names(),
            }),
          c.catalog.saved(trimmed),
        );
      }}
    >
      <div className="form-grid">
        <label className="field">
          <span>{c.catalog.name}</span>
          <input
            name="name"
            maxLength={100}
            autoComplete="off"
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
        </label>
        <label className="field">
          <span>{c.catalog.nameEn}</span>
          <input
            name="name-en"
            lang="en"
            maxLength={100}
            autoComplete="off"
            value={nameEn}
            onChange={(e) => setNameEn(e.target.value)}
          />
        </label>
        <label className="field">
          <span>{c.catalog.nameRu}</span>
          <input
            name="name-ru"
            lang="ru"
            maxLength={100}
            autoComplete="off"
            value={nameRu}
            onChange={(e) => setNameRu(e.target.value)}
          />
        </label>
        <label className="field">
          <span>{c.catalog.price}</span>
          <input
            name="price"
            inputMode="decimal"
            autoComplete="off"
            value={price}
            onChange={(e) => setPrice(e.target.value)}
          />
        </label>
        <label className="field">
          <span>{c.catalog.power}</span>
          <input
            name="power"
            inputMode="numeric"
            autoComplete="off"
            value={power}
            onChange={(e) => setPower(e.target.value)}
          />
        </label>
      </div>
      <section className="item-preview" aria-label={c.catalog.preview}>
        <h3>{c.catalog.preview}</h3>
        <ul className="rows" inert>
          <ShopItemRow item={preview} mine={false} tooDear={false} busy onBuy={() => undefined} />
        </ul>
      </section>
    </ActionDialog>
  );
}
