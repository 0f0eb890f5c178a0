/**
 * One player (`/admin/players/<id>`): profile, balance, ban, sessions, items, listings, then the
 * ledger and the battles page by page; and the operator's actions, each in a dialog asking for a
 * reason: grant and deduct credits, ban (for good or until a moment) and unban, export the player's
 * data as a JSON file, delete the account (typing the nickname to confirm).
 */
import type { AdminPlayerDetail } from '@metagameplay/client';
import { signedCredits } from '@metagameplay/game';
import { banUntilInput, parseAmountInput } from '@metagameplay/game/admin';
import { type Battle, formatCredits, type Transaction } from '@metagameplay/protocol';
import { type ReactNode, useEffect, useState } from 'react';
import { Screen } from '../components/screen';
import { ErrorState, Loading } from '../components/states';
import { useGame } from '../game-context';
import { useNicknames } from '../hooks/use-nicknames';
import { usePagedList } from '../hooks/use-paged-list';
import { routePath } from '../router';
import { ActionDialog } from './action-dialog';
import { useConsole } from './console-context';
import { saveFile } from './download';
import { ledgerTypeLabel } from './labels';
import { type Column, DataTable, PagedTable } from './paged-table';
import { PlayerLink } from './player-link';
import { PlayerStatus } from './players';
import { refusal } from './refusal';
import { when } from './when';

type Action = 'grant' | 'deduct' | 'ban' | 'unban' | 'export' | 'delete';
const PAGE_SIZE = 10;

export function PlayerPage({ id }: { id: string }) {
  const { t, gate, navigate } = useGame();
  const { admin, c } = useConsole();
  const [detail, setDetail] = useState<AdminPlayerDetail | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [version, setVersion] = useState(0);
  const [action, setAction] = useState<Action | null>(null);

  useEffect(() => {
    let live = true;
    setError(null);
    void (async () => {
      const outcome = await gate.run(() => admin.playerDetail(id));
      if (!live) return;
      if (outcome.ok) setDetail(outcome.value);
      else if (!outcome.handled) setError(outcome.error);
    })();
    return () => {
      live = false;
    };
  }, [id, version]);

  const transactions = usePagedList<Transaction>(async (cursor) => {
    const page = await admin.playerTransactions(id, {
      limit: PAGE_SIZE,
      ...(cursor === null ? {} : { cursor }),
    });
    return { items: page.transactions, nextCursor: page.nextCursor };
  });
  const battles = usePagedList<Battle>(async (cursor) => {
    const page = await admin.playerBattles(id, { limit: PAGE_SIZE, ...(cursor === null ? {} : { cursor }) });
    return { items: page.battles, nextCursor: page.nextCursor };
  });
  useEffect(() => {
    transactions.reset();
    battles.reset();
  }, [id]);

  /** After an action: the profile again, and the ledger from its first page (a new row is on top). */
  const refresh = (): void => {
    setVersion((n) => n + 1);
    transactions.reset();
  };

  const back = (
    <a
      className="button ghost small"
      href={routePath({ name: 'admin', section: 'players' })}
      onClick={(event) => {
        event.preventDefault();
        navigate({ name: 'admin', section: 'players' });
      }}
    >
      {c.player.back}
    </a>
  );

  if (detail === null) {
    return (
      <Screen heading={c.nav.players} actions={back} wide>
        {error !== null ? <ErrorState error={error} onRetry={() => setVersion((n) => n + 1)} /> : <Loading />}
      </Screen>
    );
  }

  const { player } = detail;
  const deleted = player.deletedAt !== null;
  return (
    <Screen heading={c.player.heading(player.nickname)} actions={back} wide>
      {error !== null && (
        <p className="notice bad" role="alert">
          {refusal(c, t, error)}
        </p>
      )}
      <section className="console-section" aria-labelledby="profile-heading">
        <h2 id="profile-heading">{c.player.profile}</h2>
        <dl className="facts">
          <Fact label={c.player.id} value={<code>{player.id}</code>} />
          <Fact label={c.players.columns.status} value={<PlayerStatus player={player} />} />
          <Fact label={c.player.role} value={player.role} />
          <Fact label={c.player.balance} value={c.credits(formatCredits(player.balance))} />
          <Fact label={c.player.rating} value={player.rating} />
          <Fact label={c.player.winsLosses} value={`${player.wins} / ${player.losses}`} />
          <Fact label={c.player.power} value={player.power} />
          <Fact label={c.player.itemCount} value={player.itemCount} />
          <Fact label={c.player.createdAt} value={when(player.createdAt)} />
          <Fact
            label={c.player.sessions}
            value={c.player.sessionsValue(detail.sessions.active, detail.sessions.total)}
          />
          <Fact
            label={c.player.banStatus}
            value={
              player.banned === null ? (
                c.player.notBanned
              ) : (
                <>
                  {player.banned.until === null
                    ? c.player.bannedForever(when(player.banned.at))
                    : c.player.bannedUntil(when(player.banned.at), when(player.banned.until))}
                  <br />
                  {c.player.banReason(player.banned.reason)}
                </>
              )
            }
          />
          {deleted && <Fact label={c.players.deleted} value={c.player.deletedAt(when(player.deletedAt))} />}
        </dl>
      </section>

      <section className="console-section" aria-labelledby="actions-heading">
        <h2 id="actions-heading">{c.player.actions}</h2>
        <div className="row-actions console-actions">
          <button type="button" className="button" disabled={deleted} onClick={() => setAction('grant')}>
            {c.player.grant}
          </button>
          <button type="button" className="button" disabled={deleted} onClick={() => setAction('deduct')}>
            {c.player.deduct}
          </button>
          {/* A banned player's ban can be lifted or changed (a new ban replaces its reason and end). */}
          {player.banned === null ? (
            <button type="button" className="button" disabled={deleted} onClick={() => setAction('ban')}>
              {c.player.ban}
            </button>
          ) : (
            <>
              <button type="button" className="button" disabled={deleted} onClick={() => setAction('unban')}>
                {c.player.unban}
              </button>
              <button type="button" className="button" disabled={deleted} onClick={() => setAction('ban')}>
                {c.player.changeBan}
              </button>
            </>
          )}
          <button type="button" className="button" onClick={() => setAction('export')}>
            {c.player.export}
          </button>
          <button
            type="button"
            className="button danger"
            disabled={deleted}
            onClick={() => setAction('delete')}
          >
            {c.player.delete}
          </button>
        </div>
      </section>

      <ItemsAndListings detail={detail} />

      <section className="console-section" aria-labelledby="transactions-heading">
        <h2 id="transactions-heading">{c.player.transactions}</h2>
        <PagedTable
          list={transactions}
          label={c.player.transactions}
          empty={c.player.noTransactions}
          columns={transactionColumns(t, c)}
          rowKey={(row) => row.id}
        />
      </section>

      <section className="console-section" aria-labelledby="battles-heading">
        <h2 id="battles-heading">{c.player.battles}</h2>
        <BattlesTable playerId={player.id} list={battles} />
      </section>

      {action !== null && (
        <PlayerAction action={action} detail={detail} onClose={() => setAction(null)} onDone={refresh} />
      )}
    </Screen>
  );
}

function Fact(props: { label: string; value: ReactNode }) {
  return (
    <div className="fact">
      <dt>{props.label}</dt>
      <dd>{props.value}</dd>
    </div>
  );
}

function transactionColumns(
  t: ReturnType<typeof useGame>['t'],
  c: ReturnType<typeof useConsole>['c'],
): Column<Transaction>[] {
  return [
    { header: c.player.columns.when, cell: (row) => when(row.createdAt) },
    { header: c.player.columns.type, cell: (row) => ledgerTypeLabel(t, c, row.type) },
    { header: c.player.columns.amount, cell: (row) => signedCredits(row.amount), className: 'num' },
    {
      header: c.player.columns.balanceAfter,
      cell: (row) => formatCredits(row.balanceAfter),
      className: 'num',
    },
    {
      header: c.player.columns.item,
      cell: (row) => row.itemName ?? (row.itemId === null ? '—' : `#${row.itemId}`),
    },
    { header: c.player.columns.note, cell: (row) => row.note ?? '—' },
  ];
}

function ItemsAndListings({ detail }: { detail: AdminPlayerDetail }) {
  const { c } = useConsole();
  return (
    <>
      <section className="console-section" aria-labelledby="items-heading">
        <h2 id="items-heading">{c.player.items}</h2>
        {detail.items.length === 0 ? (
          <p className="empty">{c.player.noItems}</p>
        ) : (
          <DataTable
            label={c.player.items}
            rows={detail.items}
            rowKey={(item) => item.id}
            columns={[
              {
                header: c.player.columns.name,
                cell: (item) => (
                  <>
                    {item.name}
                    {item.listingId !== undefined && (
                      <span className="badge listed-badge">{c.player.listed}</span>
                    )}
                  </>
                ),
              },
              { header: c.player.columns.power, cell: (item) => item.power, className: 'num' },
              { header: c.player.columns.price, cell: (item) => formatCredits(item.price), className: 'num' },
              { header: c.player.columns.acquired, cell: (item) => when(item.acquiredAt) },
            ]}
          />
        )}
      </section>
      <section className="console-section" aria-labelledby="listings-heading">
        <h2 id="listings-heading">{c.player.listings}</h2>
        {detail.listings.length === 0 ? (
          <p className="empty">{c.player.noListings}</p>
        ) : (
          <DataTable
            label={c.player.listings}
            rows={detail.listings}
            rowKey={(listing) => listing.id}
            columns={[
              { header: c.player.columns.name, cell: (listing) => listing.itemName },
              {
                header: c.player.columns.price,
                cell: (listing) => formatCredits(listing.price),
                className: 'num',
              },
              { header: c.player.columns.status, cell: (listing) => listing.status },
              { header: c.player.columns.when, cell: (listing) => when(listing.createdAt) },
              { header: c.player.columns.expires, cell: (listing) => when(listing.expiresAt) },
            ]}
          />
        )}
      </section>
    </>
  );
}

function BattlesTable(props: { playerId: string; list: ReturnType<typeof usePagedList<Battle>> }) {
  const { w } = useGame();
  const { c } = useConsole();
  const opponent = (battle: Battle): string =>
    battle.challengerId === props.playerId ? battle.opponentId : battle.challengerId;
  const names = useNicknames(props.list.state.items.map(opponent));
  return (
    <PagedTable
      list={props.list}
      label={c.player.battles}
      empty={c.player.noBattles}
      rowKey={(battle) => battle.id}
      columns={[
        { header: c.player.columns.when, cell: (battle) => when(battle.createdAt) },
        {
          header: c.player.columns.opponent,
          cell: (battle) => (
            <PlayerLink id={opponent(battle)} nickname={names.get(opponent(battle)) ?? '…'} />
          ),
        },
        { header: c.player.columns.stake, cell: (battle) => formatCredits(battle.stake), className: 'num' },
        { header: c.player.columns.status, cell: (battle) => w.battle.status[battle.status] },
        {
          header: c.player.columns.result,
          cell: (battle) =>
            battle.winnerId === null
              ? '—'
              : battle.winnerId === props.playerId
                ? c.player.won
                : c.player.lost,
        },
      ]}
    />
  );
}

/** The dialog of one action on the player, with its own fields. */
function PlayerAction(props: {
  action: Action;
  detail: AdminPlayerDetail;
  onClose: () => void;
  onDone: () => void;
}) {
  const { t, gate, notify } = useGame();
  const { admin, c } = useConsole();
  const { player } = props.detail;
  const [amount, setAmount] = useState('');
  const [permanent, setPermanent] = useState(true);
  const [until, setUntil] = useState('');
  const [confirm, setConfirm] = useState('');

  /** Runs a call through the gate: null when done (with a notice), else the refusal to show. */
  async function run<T>(call: () => Promise<T>, done: (value: T) => string): Promise<string | null> {
    const outcome = await gate.run(call);
    if (!outcome.ok) return outcome.handled ? null : refusal(c, t, outcome.error);
    notify({ text: done(outcome.value), tone: 'good' });
    props.onDone();
    return null;
  }

  const amountField = (
    <>
      <label className="field">
        <span>{c.player.amount}</span>
        <input
          name="amount"
          inputMode="decimal"
          autoComplete="off"
          value={amount}
          aria-describedby="amount-hint"
          onChange={(e) => setAmount(e.target.value)}
        />
      </label>
      <small className="field-hint" id="amount-hint">
        {c.player.amountHint}
      </small>
    </>
  );
  const amountProblem = (): string | null => {
    const parsed = parseAmountInput(amount);
    return parsed.ok ? null : c.player.amountProblem[parsed.problem];
  };
  const units = (): number => {
    const parsed = parseAmountInput(amount);
    return parsed.ok ? parsed.units : 0;
  };

  switch (props.action) {
    case 'grant':
    case 'deduct': {
      const grant = props.action === 'grant';
      return (
        <ActionDialog
          title={grant ? c.player.grant : c.player.deduct}
          submitLabel={grant ? c.player.grant : c.player.deduct}
          validate={amountProblem}
          onClose={props.onClose}
          onSubmit={(reason = '') => {
            const body = { amount: units(), reason };
            return grant
              ? run(
                  () => admin.grantCredits(player.id, body),
                  (r) => c.player.granted(formatCredits(body.amount), formatCredits(r.balance)),
                )
              : run(
                  () => admin.deductCredits(player.id, body),
                  (r) => c.player.deducted(formatCredits(body.amount), formatCredits(r.balance)),
                );
          }}
        >
          {amountField}
        </ActionDialog>
      );
    }
    case 'ban':
      return (
        <ActionDialog
          title={player.banned === null ? c.player.ban : c.player.changeBan}
          note={c.player.banNote}
          submitLabel={c.player.ban}
          danger
          validate={() =>
            permanent || banUntilInput(until, Date.now()) !== null ? null : c.player.untilProblem
          }
          onClose={props.onClose}
          onSubmit={(reason = '') => {
            const end = permanent ? null : banUntilInput(until, Date.now());
            return run(
              () => admin.ban(player.id, end === null ? { reason } : { reason, until: end }),
              () => c.player.bannedDone,
            );
          }}
        >
          <fieldset className="field choice">
            <legend>{c.player.banLength}</legend>
            <label>
              <input type="radio" name="ban-length" checked={permanent} onChange={() => setPermanent(true)} />{' '}
              {c.player.permanent}
            </label>
            <label>
              <input
                type="radio"
                name="ban-length"
                checked={!permanent}
                onChange={() => setPermanent(false)}
              />{' '}
              {c.player.temporary}
            </label>
          </fieldset>
          {!permanent && (
            <label className="field">
              <span>{c.player.until}</span>
              <input
                type="datetime-local"
                name="until"
                value={until}
                onChange={(e) => setUntil(e.target.value)}
              />
            </label>
          )}
        </ActionDialog>
      );
    case 'unban':
      return (
        <ActionDialog
          title={c.player.unban}
          submitLabel={c.player.unban}
          onClose={props.onClose}
          onSubmit={(reason = '') =>
            run(
              () => admin.unban(player.id, { reason }),
              () => c.player.unbannedDone,
            )
          }
        />
      );
    case 'export':
      return (
        <ActionDialog
          title={c.player.export}
          note={c.player.exportNote}
          submitLabel={c.player.export}
          onClose={props.onClose}
          onSubmit={(reason = '') => {
            const filename = `player-${player.id}.json`;
            return run(
              () => admin.exportPlayer(player.id, { reason }),
              (file) => {
                saveFile(file.text, filename, 'application/json');
                return c.player.exportedDone(filename);
              },
            );
          }}
        />
      );
    case 'delete':
      return (
        <ActionDialog
          title={c.player.delete}
          note={c.player.deleteNote}
          submitLabel={c.player.delete}
          danger
          validate={() => (confirm === player.nickname ? null : c.player.nicknameMismatch)}
          onClose={props.onClose}
          onSubmit={(reason = '') =>
            run(
              () => admin.deletePlayer(player.id, { reason }),
              () => c.player.deletedDone,
            )
          }
        >
          <label className="field">
            <span>{c.player.confirmNickname(player.nickname)}</span>
            <input
              name="confirm-nickname"
              autoComplete="off"
              value={confirm}
              onChange={(e) => setConfirm(e.target.value)}
            />
          </label>
        </ActionDialog>
      );
  }
}
