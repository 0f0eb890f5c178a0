/**
 * A keyset-paginated list as the player browses it: one page of items in view, the selected row, and
 * a stack of the cursors of earlier pages (the API only gives a cursor forward, so going back means
 * remembering where each page started). Pure: every step returns the new state and, when a page must
 * be fetched, a `PageRequest`; the caller fetches and hands the page to `applyPage`. Each request has
 * a token so an answer that arrives after a newer request (fast paging, typing a search) is ignored.
 */

export interface Page<T> {
  items: readonly T[];
  nextCursor: string | null;
}

export type SelectAt = 'first' | 'last' | 'keep';

export interface PageRequest {
  token: number;
  /** Cursor of the page to fetch; null is the first page. */
  cursor: string | null;
  /** The stack of earlier pages' cursors once this page is shown. */
  back: readonly (string | null)[];
  select: SelectAt;
  /** Rows to ask for: the list's page size, the same for every page of one browse (see ListState). */
  limit: number;
}

export interface ListState<T> {
  items: readonly T[];
  selected: number;
  cursor: string | null;
  back: readonly (string | null)[];
  nextCursor: string | null;
  /** The request whose answer is awaited, if any. */
  pending: PageRequest | null;
  /** True once a first page arrived. */
  loaded: boolean;
  lastToken: number;
  /**
   * Rows per page, fixed from the first page until the list starts over: the cursors on the stack
   * were made with it, so a page fetched with another size would overlap its neighbours or skip rows
   * (page 2 began at item 4 after the terminal, or a dialog, had shrunk the list). A screen with
   * fewer rows than this shows a window of the page (pageWindow).
   */
  pageSize: number;
}

export type ListMove = 'up' | 'down' | 'pageUp' | 'pageDown' | 'home';

export interface ListStep<T> {
  state: ListState<T>;
  request: PageRequest | null;
}

const DEFAULT_PAGE_SIZE = 20;

export function emptyList<T>(pageSize = DEFAULT_PAGE_SIZE): ListState<T> {
  return {
    pageSize,
    items: [],
    selected: 0,
    cursor: null,
    back: [],
    nextCursor: null,
    pending: null,
    loaded: false,
    lastToken: 0,
  };
}

function request<T>(
  state: ListState<T>,
  cursor: string | null,
  back: readonly (string | null)[],
  select: SelectAt,
): ListStep<T> {
  const req: PageRequest = { token: state.lastToken + 1, cursor, back, select, limit: state.pageSize };
  return { state: { ...state, pending: req, lastToken: req.token }, request: req };
}

/** Starts over at the first page (initial load, or a new search), with a new page size if given. */
export function firstPage<T>(state: ListState<T>, pageSize = state.pageSize): ListStep<T> {
  return request({ ...state, pageSize: Math.max(1, Math.floor(pageSize)) }, null, [], 'first');
}

/** Fetches the page in view again (after a sale removed a row, or a price changed). */
export function reloadPage<T>(state: ListState<T>): ListStep<T> {
  return request(state, state.cursor, state.back, 'keep');
}

export function pageNumber(state: ListState<unknown>): number {
  return state.back.length + 1;
}

export function selectedItem<T>(state: ListState<T>): T | undefined {
  return state.items[state.selected];
}

/**
 * Moves the selection. Up on the first row goes to the end of the previous page, down on the last row
 * to the start of the next one; PageUp/PageDown change pages; Home returns to the first page.
 */
export function moveInList<T>(state: ListState<T>, move: ListMove): ListStep<T> {
  const last = state.items.length - 1;
  const stay = (selected: number): ListStep<T> => ({ state: { ...state, selected }, request: null });
  const forward = (select: SelectAt): ListStep<T> | null =>
    state.nextCursor === null
      ? null
      : request(state, state.nextCursor, [...state.back, state.cursor], select);
  const backward = (select: SelectAt): ListStep<T> | null =>
    state.back.length === 0
      ? null
      : request(state, state.back[state.back.length - 1] ?? null, state.back.slice(0, -1), select);

  switch (move) {
    case 'up':
      return state.selected > 0 ? stay(state.selected - 1) : (backward('last') ?? stay(0));
    case 'down':
      return state.selected < last ? stay(state.selected + 1) : (forward('first') ?? stay(Math.max(0, last)));
    case 'pageDown':
      return forward('first') ?? stay(Math.max(0, last));
    case 'pageUp':
      return backward('first') ?? stay(0);
    case 'home':
      return state.back.length === 0 ? stay(0) : firstPage(state);
  }
}

/**
 * Shows a fetched page, unless a newer request superseded it. A page that came back empty while
 * earlier pages exist (its last rows were sold) steps back one page instead.
 */
export function applyPage<T>(state: ListState<T>, req: PageRequest, page: Page<T>): ListStep<T> {
  if (state.pending?.token !== req.token) return { state, request: null };
  if (page.items.length === 0 && req.back.length > 0) {
    return request(state, req.back[req.back.length - 1] ?? null, req.back.slice(0, -1), 'last');
  }
  const last = Math.max(0, page.items.length - 1);
  const selected = req.select === 'first' ? 0 : req.select === 'last' ? last : Math.min(state.selected, last);
  return {
    state: {
      ...state,
      items: page.items,
      nextCursor: page.nextCursor,
      cursor: req.cursor,
      back: req.back,
      selected,
      pending: null,
      loaded: true,
    },
    request: null,
  };
}

/**
 * The rows of the page that fit in `rows` lines, keeping the selected row in view: the whole page
 * when it fits, else a window that ends at the selection once the selection passes the first screen.
 */
export function pageWindow<T>(state: ListState<T>, rows: number): { start: number; items: readonly T[] } {
  const fit = Math.max(1, Math.floor(rows));
  if (state.items.length <= fit) return { start: 0, items: state.items };
  const start = Math.min(Math.max(0, state.selected - fit + 1), state.items.length - fit);
  return { start, items: state.items.slice(start, start + fit) };
}

/** Forgets a request that failed, so the list stays usable. */
export function dropRequest<T>(state: ListState<T>, req: PageRequest): ListState<T> {
  return state.pending?.token === req.token ? { ...state, pending: null } : state;
}

/** Replaces rows in view (e.g. a price that changed), keeping everything else. */
export function mapItems<T>(state: ListState<T>, update: (item: T) => T): ListState<T> {
  return { ...state, items: state.items.map(update) };
}

/** The list move a key stands for, if any. */
export function listMoveForKey(key: {
  upArrow?: boolean;
  downArrow?: boolean;
  pageUp?: boolean;
  pageDown?: boolean;
  home?: boolean;
}): ListMove | null {
  if (key.upArrow) return 'up';
  if (key.downArrow) return 'down';
  if (key.pageUp) return 'pageUp';
  if (key.pageDown) return 'pageDown';
  if (key.home) return 'home';
  return null;
}
