/**
 * A read-only list screen over one of the server's keyset-paged lists (transaction history, own
 * battles, the leaderboard): the frame, a header row, one row per item in fixed columns, the paging keys
 * (↑↓ PgUp/PgDn, the first page fetched on opening), Enter to open an item where the screen allows it,
 * Esc / Q back home, and a failed page shown as the notice.
 */
import { failureMessage, listMoveForKey, type Page, type PageParams } from '@metagameplay/game';
import { useInput } from 'ink';
import { useEffect, useState } from 'react';
import { useGame } from '../game-context';
import { useListBrowser } from '../hooks/use-list-browser';
import { Frame, type Notice, useListRows } from './frame';
import { PagedRows } from './paged-rows';
import { type Column, Row } from './table';

/** One column: its title, its width (none: it takes the room left), and its cell for an item. */
export interface ListColumn<T> {
  title: string;
  width?: number;
  cell: (item: T) => string | { text: string; color?: string };
}

export interface PagedListScreenProps<T> {
  heading: string;
  keys: string;
  /** Shown when the list has nothing. */
  empty: string;
  columns: readonly ListColumn<T>[];
  /** One page from the server. */
  fetchPage: (query: PageParams) => Promise<Page<T>>;
  rowKey: (item: T) => string;
  /** Enter on an item (no Enter when absent). */
  onOpen?: (item: T) => void;
}

/** The frame's lines around the list: title bar, header row, page footer, notice and keys. */
const RESERVED_ROWS = 12;

export function PagedListScreen<T>(props: PagedListScreenProps<T>) {
  const game = useGame();
  const { t } = game;
  const pageSize = useListRows(RESERVED_ROWS);
  const [notice, setNotice] = useState<Notice | null>(null);
  const list = useListBrowser<T>(
    (cursor, limit) => props.fetchPage(cursor === null ? { limit } : { limit, cursor }),
    (error) => setNotice({ text: failureMessage(t, error), tone: 'bad' }),
    pageSize,
  );

  useEffect(() => {
    list.reset();
  }, []);

  useInput(
    (input, key) => {
      const move = listMoveForKey(key);
      if (move) return list.move(move);
      if (key.return) {
        const item = list.selected();
        if (item !== undefined) props.onOpen?.(item);
        return;
      }
      if (key.escape || input.toLowerCase() === 'q' || input === 'й') game.go('home');
    },
    { isActive: game.inputActive },
  );

  const widthOf = (column: ListColumn<T>) => (column.width === undefined ? {} : { width: column.width });
  const cellOf = (column: ListColumn<T>, item: T): Column => {
    const cell = column.cell(item);
    return { ...(typeof cell === 'string' ? { text: cell } : cell), ...widthOf(column) };
  };
  const { state } = list;
  return (
    <Frame heading={props.heading} keys={props.keys} notice={notice}>
      <Row bold columns={props.columns.map((column) => ({ text: column.title, ...widthOf(column) }))} />
      <PagedRows
        state={state}
        rows={pageSize}
        empty={props.empty}
        row={(item, index) => (
          <Row
            key={props.rowKey(item)}
            selected={index === state.selected}
            columns={props.columns.map((column) => cellOf(column, item))}
          />
        )}
      />
    </Frame>
  );
}
