/**
 * A keyset-paginated table of the console: the game's paged list (use-paged-list: the cursor stack,
 * stale answers dropped) drawn as a <table> that scrolls sideways on a narrow screen, in the game's own
 * paged frame (components/paged-view.tsx: states and the ← Previous / page number / Next → pager).
 */
import type { ReactNode } from 'react';
import { PagedFrame } from '../components/paged-view';
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
  return (
    <PagedFrame
      list={props.list}
      empty={props.empty}
      pagerLabel={(page) => `${props.label}: ${page}`}
      body={(items) => (
        <DataTable label={props.label} columns={props.columns} rows={items} rowKey={props.rowKey} />
      )}
    />
  );
}
