/**
 * Binds the pure list browser (logic/list-browser.ts) to the server: runs its page requests through
 * the request gate and feeds the answers back. The fetch function is read at request time, so a
 * screen may change what it fetches (a new search) and call `reset()`.
 */
import { useCallback, useRef, useState } from 'react';
import { useGame } from '../game-context';
import {
  applyPage,
  dropRequest,
  emptyList,
  firstPage,
  type ListMove,
  type ListState,
  type ListStep,
  mapItems,
  moveInList,
  type Page,
  type PageRequest,
  reloadPage,
  selectedItem,
} from '@metagameplay/game';

export interface ListBrowser<T> {
  /** The rendered state: for drawing. */
  state: ListState<T>;
  /** The item under the cursor after every key so far, even before React re-renders: for key handlers. */
  selected(): T | undefined;
  move(move: ListMove): void;
  reset(): void;
  reload(): void;
  update(change: (item: T) => T): void;
}

/**
 * `pageSize` is read when the list starts over (reset): every page until the next reset is fetched
 * with that size, so the cursors of earlier pages stay valid whatever the screen shows meanwhile.
 */
export function useListBrowser<T>(
  fetchPage: (cursor: string | null, limit: number) => Promise<Page<T>>,
  onFailure: (error: unknown) => void,
  pageSize: number,
): ListBrowser<T> {
  const { gate } = useGame();
  const [state, setState] = useState<ListState<T>>(() => emptyList(pageSize));
  const pageSizeRef = useRef(pageSize);
  pageSizeRef.current = pageSize;
  const current = useRef(state);
  const fetchRef = useRef(fetchPage);
  fetchRef.current = fetchPage;
  const failureRef = useRef(onFailure);
  failureRef.current = onFailure;

  const commit = useCallback((next: ListState<T>) => {
    current.current = next;
    setState(next);
  }, []);

  function perform(step: ListStep<T>): void {
    commit(step.state);
    if (step.request) void load(step.request);
  }

  async function load(request: PageRequest): Promise<void> {
    const outcome = await gate.run(() => fetchRef.current(request.cursor, request.limit));
    if (outcome.ok) {
      perform(applyPage(current.current, request, outcome.value));
    } else {
      commit(dropRequest(current.current, request));
      if (!outcome.handled) failureRef.current(outcome.error);
    }
  }

  return {
    state,
    selected: () => selectedItem(current.current),
    move: (move) => perform(moveInList(current.current, move)),
    reset: () => perform(firstPage(current.current, pageSizeRef.current)),
    reload: () => perform(reloadPage(current.current)),
    update: (change) => commit(mapItems(current.current, change)),
  };
}
