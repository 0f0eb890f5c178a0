/**
 * A keyset-paginated table of the console: the game's paged list (use-paged-list: the cursor stack,
 * stale answers dropped) drawn as a <table> that scrolls sideways on a narrow screen, with the same
 * pager as the game's lists (← Previous / page number / Next →).
 */
import { pageNumber } from '@metagameplay/game';
import type { ReactNode } from 'react';
import { ErrorState, Loading } from '../components/states';
import { useGame } from '../game-context';
import type { PagedList } from '../hooks/use-paged-list';

export interface Column<T> {
  header: string;
  cell: (row: T) => ReactNode;
  className?: string;
}

/**
 * The box a wide table scrolls sideways in (a narrow screen, many columns): focusable, so a keyboard
 * can scroll it too (axe: scrollable-region-focusable), and named after its table.
 */
export function TableScroll(props: { label: string; children: ReactNode }) {
  return (
    <div className="table-scroll" role="region" aria-label={props.label} tabIndex={0}>
      {props.children}
    </div>
  );
}

export function DataTable<T>(props: {
  label: string;
  columns: readonly Column<T>[];
  rows: readonly T[];
  rowKey: (row: T) => string | number;
}) {
  return (
    <TableScroll label={props.label}>
      <table className="data-table" aria-label={props.label}>
        <thead>
          <tr>
            {props.columns.map((column) => (
              <th key={column.header} scope="col" className={column.className}>
                {column.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((row) => (
            <tr key={props.rowKey(row)}>
              {props.columns.map((column) => (
                <td key={column.header} className={column.className}>
                  {column.cell(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

export function PagedTable<T>(props: {
  list: PagedList<T>;
  label: string;
  empty: string;
  columns: readonly Column<T>[];
  rowKey: (row: T) => string | number;
}) {
  const { w } = useGame();
  const { state, error } = props.list;
  if (!state.loaded) {
    return error !== null ? <ErrorState error={error} onRetry={props.list.reload} /> : <Loading />;
  }
  return (
    <div className="paged" aria-busy={props.list.loading}>
      {error !== null && <ErrorState error={error} onRetry={props.list.reload} />}
      {state.items.length === 0 ? (
        <p className="empty">{props.empty}</p>
      ) : (
        <DataTable label={props.label} columns={props.columns} rows={state.items} rowKey={props.rowKey} />
      )}
      <nav className="pager" aria-label={`${props.label}: ${w.page(pageNumber(state))}`}>
        <button
          type="button"
          className="button ghost"
          disabled={state.back.length === 0 || props.list.loading}
          onClick={props.list.previous}
        >
          {w.previousPage}
        </button>
        <span className="page-number" aria-live="polite">
          {w.page(pageNumber(state))}
        </span>
        <button
          type="button"
          className="button ghost"
          disabled={state.nextCursor === null || props.list.loading}
          onClick={props.list.next}
        >
          {w.nextPage}
        </button>
      </nav>
    </div>
  );
}
