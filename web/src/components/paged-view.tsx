/**
 * A keyset-paginated list on screen: loading, error and empty states, the rows, and the pager
 * (previous / page number / next). The rows are the screen's; this is the frame around them.
 */
import { pageNumber } from '@metagameplay/game';
import type { ReactNode } from 'react';
import { useGame } from '../game-context';
import type { PagedList } from '../hooks/use-paged-list';
import { ErrorState, Loading } from './states';

/**
 * The frame of any paged list (the game's rows, the console's tables): `body` draws a non-empty page;
 * `pagerLabel` names the pager from the page text ("Page 2").
 */
export function PagedFrame<T>(props: {
  list: PagedList<T>;
  empty: string;
  pagerLabel?: (page: string) => string;
  body: (items: readonly T[]) => ReactNode;
}) {
  const { w } = useGame();
  const { state, error } = props.list;
  if (!state.loaded) {
    return error !== null ? <ErrorState error={error} onRetry={props.list.reload} /> : <Loading />;
  }
  const page = w.page(pageNumber(state));
  return (
    <div className="paged" aria-busy={props.list.loading}>
      {error !== null && <ErrorState error={error} onRetry={props.list.reload} />}
      {state.items.length === 0 ? <p className="empty">{props.empty}</p> : props.body(state.items)}
      <nav className="pager" aria-label={props.pagerLabel ? props.pagerLabel(page) : page}>
        <button
          type="button"
          className="button ghost"
          disabled={state.back.length === 0 || props.list.loading}
          onClick={props.list.previous}
        >
          {w.previousPage}
        </button>
        <span className="page-number" aria-live="polite">
          {page}
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

export function PagedView<T>(props: {
  list: PagedList<T>;
  empty: string;
  label: string;
  row: (item: T) => ReactNode;
}) {
  return (
    <PagedFrame
      list={props.list}
      empty={props.empty}
      body={(items) => (
        <ul className="rows" aria-label={props.label}>
          {items.map((item) => props.row(item))}
        </ul>
      )}
    />
  );
}
