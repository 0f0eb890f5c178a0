/**
 * Players (`/admin/players`): search by nickname prefix or id as you type (sent once typing pauses),
 * newest players first without a search, keyset pages; each nickname opens the player's page.
 */
import type { AdminPlayer } from '@metagameplay/client';
import { searchParam } from '@metagameplay/game';
import { formatCredits } from '@metagameplay/protocol';
import { useEffect, useRef, useState } from 'react';
import { Screen } from '../components/screen';
import { useDebounced } from '../hooks/use-debounced';
import { usePagedList } from '../hooks/use-paged-list';
import { useConsole } from './console-context';
import { type Column, PagedTable } from './paged-table';
import { PlayerLink } from './player-link';
import { when } from './when';

export const PLAYER_SEARCH_DEBOUNCE_MS = 300;
const PAGE_SIZE = 20;

export function PlayerStatus({ player }: { player: AdminPlayer }) {
  const { c } = useConsole();
  if (player.deletedAt !== null) return <span className="badge status-down">{c.players.deleted}</span>;
  if (player.banned !== null) return <span className="badge status-down">{c.players.banned}</span>;
  return <span className="badge status-ok">{c.players.active}</span>;
}

export function PlayersPage() {
  const { admin, c } = useConsole();
  const [search, setSearch] = useState('');
  const debounced = useDebounced(search, PLAYER_SEARCH_DEBOUNCE_MS);
  const query = useRef<string | undefined>(undefined);
  const list = usePagedList<AdminPlayer>(async (cursor) => {
    const page = await admin.players({
      limit: PAGE_SIZE,
      ...(cursor === null ? {} : { cursor }),
      ...(query.current === undefined ? {} : { q: query.current }),
    });
    return { items: page.players, nextCursor: page.nextCursor };
  });

  useEffect(() => {
    query.current = searchParam(debounced);
    list.reset();
  }, [debounced]);

  const columns: Column<AdminPlayer>[] = [
    { header: c.players.columns.nickname, cell: (p) => <PlayerLink id={p.id} nickname={p.nickname} /> },
    { header: c.players.columns.status, cell: (p) => <PlayerStatus player={p} /> },
    { header: c.players.columns.role, cell: (p) => p.role },
    { header: c.players.columns.balance, cell: (p) => formatCredits(p.balance), className: 'num' },
    { header: c.players.columns.rating, cell: (p) => p.rating, className: 'num' },
    { header: c.players.columns.items, cell: (p) => p.itemCount, className: 'num' },
    { header: c.players.columns.created, cell: (p) => when(p.createdAt) },
    { header: c.players.columns.id, cell: (p) => <code>{p.id}</code> },
  ];

  return (
    <Screen heading={c.players.heading} wide>
      <div className="toolbar">
        <label className="field search">
          <span>{c.players.search}</span>
          <input
            type="search"
            name="q"
            value={search}
            maxLength={64}
            autoComplete="off"
            aria-describedby="player-search-hint"
            onChange={(e) => setSearch(e.target.value)}
          />
        </label>
        <small className="field-hint" id="player-search-hint">
          {c.players.searchHint}
        </small>
      </div>
      <PagedTable
        list={list}
        label={c.players.results}
        empty={c.players.empty}
        columns={columns}
        rowKey={(p) => p.id}
      />
    </Screen>
  );
}
