/**
 * A keyset-paginated list on screen: loading, error and empty states, the rows, and the pager
 * (previous / page number / next). The rows are the screen's; this is the frame around them.
 */
import { pageNumber } from '@metagameplay/game';
import type { ReactNode } from 'react';
import { useGame } from '../game-context';
import type { PagedList } from '../hooks/use-paged-list';
import { ErrorState, Loading } from './states';

export function PagedView<T>(props: {
  list: PagedList<T>;
  empty: string;
  label: string;
  row: (item: T) => ReactNode;
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
        <ul className="rows" aria-label={props.label}>
          {state.items.map((item) => props.row(item))}
        </ul>
      )}
      <nav className="pager" aria-label={w.page(pageNumber(state))}>
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
