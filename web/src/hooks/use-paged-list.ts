/**
 * Binds the shared pure list browser (@metagameplay/game list-browser: keyset pages and a stack of
 * earlier cursors) to the server: its page requests run through the request gate and the answers are
 * fed back; an answer overtaken by a newer request (fast paging, a new search) is dropped. The first
 * load's failure is kept as `error` for the screen's error state.
 */
import {
  applyPage,
  dropRequest,
  emptyList,
  firstPage,
  type ListState,
  type ListStep,
  mapItems,
  moveInList,
  type Page,
  type PageRequest,
  reloadPage,
} from '@metagameplay/game';
import { useCallback, useRef, useState } from 'react';
import { useGame } from '../game-context';

export interface PagedList<T> {
  state: ListState<T>;
  error: unknown;
  loading: boolean;
  next: () => void;
  previous: () => void;
  reset: () => void;
  reload: () => void;
  update(change: (item: T) => T): void;
}

export function usePagedList<T>(fetchPage: (cursor: string | null) => Promise<Page<T>>): PagedList<T> {
  const { gate } = useGame();
  const [state, setState] = useState<ListState<T>>(emptyList);
  const [error, setError] = useState<unknown>(null);
  const current = useRef(state);
  const fetchRef = useRef(fetchPage);
  fetchRef.current = fetchPage;

  const commit = useCallback((next: ListState<T>) => {
    current.current = next;
    setState(next);
  }, []);

  const perform = useCallback(
    (step: ListStep<T>): void => {
      commit(step.state);
      const request = step.request;
      if (request === null) return;
      setError(null);
      void (async (req: PageRequest) => {
        const outcome = await gate.run(() => fetchRef.current(req.cursor));
        if (outcome.ok) {
          perform(applyPage(current.current, req, outcome.value));
        } else {
          const stillWanted = current.current.pending?.token === req.token;
          commit(dropRequest(current.current, req));
          if (stillWanted && !outcome.handled) setError(outcome.error);
        }
      })(request);
    },
    [commit, gate],
  );

  return {
    state,
    error,
    loading: state.pending !== null,
    next: () => perform(moveInList(current.current, 'pageDown')),
    previous: () => perform(moveInList(current.current, 'pageUp')),
    reset: () => perform(firstPage(current.current)),
    reload: () => perform(reloadPage(current.current)),
    update: (change) => commit(mapItems(current.current, change)),
  };
}
