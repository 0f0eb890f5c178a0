/** The paginated list: cursor stack, selection movement across pages, stale answers. */
import { describe, expect, it } from 'vitest';
import {
  applyPage,
  emptyList,
  firstPage,
  type ListState,
  type ListStep,
  listMoveForKey,
  moveInList,
  pageNumber,
  pageWindow,
  reloadPage,
  selectedItem,
} from '../src/logic/list-browser';

/** A fake server: items 1..total in pages; the cursor is the last id of the previous page. */
function serve(total: number, size: number, cursor: string | null) {
  const start = cursor === null ? 0 : Number(cursor);
  const items = Array.from({ length: Math.max(0, Math.min(size, total - start)) }, (_, i) => start + i + 1);
  const end = start + items.length;
  return { items, nextCursor: end < total ? String(end) : null };
}

function settle(step: ListStep<number>, total = 25, size = 10): ListState<number> {
  let current = step;
  while (current.request)
    current = applyPage(current.state, current.request, serve(total, size, current.request.cursor));
  return current.state;
}

describe('list browser', () => {
  it('pages forward and back through the cursor stack', () => {
    let s = settle(firstPage(emptyList<number>()));
    expect(s.items).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(pageNumber(s)).toBe(1);
    s = settle(moveInList(s, 'pageDown'));
    expect(s.items[0]).toBe(11);
    s = settle(moveInList(s, 'pageDown'));
    expect(s.items).toEqual([21, 22, 23, 24, 25]);
    expect(pageNumber(s)).toBe(3);
    expect(s.nextCursor).toBeNull();
    // The last page: PageDown stays, selecting the last row.
    const stuck = moveInList(s, 'pageDown');
    expect(stuck.request).toBeNull();
    expect(stuck.state.selected).toBe(4);
    s = settle(moveInList(s, 'pageUp'));
    expect(s.items[0]).toBe(11);
    s = settle(moveInList(s, 'pageUp'));
    expect(s.items[0]).toBe(1);
    expect(moveInList(s, 'pageUp').request).toBeNull();
  });

  it('moves the selection and crosses page edges with the arrows', () => {
    let s = settle(firstPage(emptyList<number>()));
    s = moveInList(s, 'down').state;
    expect(selectedItem(s)).toBe(2);
    for (let i = 0; i < 8; i++) s = moveInList(s, 'down').state;
    expect(selectedItem(s)).toBe(10);
    s = settle(moveInList(s, 'down'));
    expect(selectedItem(s)).toBe(11);
    s = settle(moveInList(s, 'up'));
    expect(selectedItem(s)).toBe(10);
    expect(pageNumber(s)).toBe(1);
    // Up on the very first row stays.
    s = moveInList(moveInList(s, 'home').state, 'up').state;
    expect(s.selected).toBe(0);
  });

  it('ignores an answer to a superseded request', () => {
    const s0 = settle(firstPage(emptyList<number>()));
    const slow = moveInList(s0, 'pageDown');
    const fast = firstPage(slow.state);
    const afterFast = applyPage(fast.state, fast.request!, serve(25, 10, null)).state;
    const afterSlow = applyPage(afterFast, slow.request!, serve(25, 10, slow.request!.cursor)).state;
    expect(afterSlow.items[0]).toBe(1);
    expect(pageNumber(afterSlow)).toBe(1);
  });

  it('steps back a page when the page in view came back empty', () => {
    let s = settle(firstPage(emptyList<number>()), 11);
    s = settle(moveInList(s, 'pageDown'), 11);
    expect(s.items).toEqual([11]);
    // The only row on page 2 was sold: reloading finds it empty and returns to page 1, last row.
    s = settle(reloadPage(s), 10);
    expect(pageNumber(s)).toBe(1);
    expect(selectedItem(s)).toBe(10);
  });

  it('keeps the selection on reload, clamped to the rows left', () => {
    let s = settle(firstPage(emptyList<number>()));
    for (let i = 0; i < 9; i++) s = moveInList(s, 'down').state;
    s = settle(reloadPage(s), 5);
    expect(s.selected).toBe(4);
  });

  it('maps keys to moves', () => {
    expect(listMoveForKey({ pageDown: true })).toBe('pageDown');
    expect(listMoveForKey({ upArrow: true })).toBe('up');
    expect(listMoveForKey({})).toBeNull();
  });

  it('keeps one page size for the whole cursor chain, whatever the screen shows meanwhile', () => {
    // The server answers with the size each request asks for, as the real one does.
    const settleAsked = (step: ListStep<number>): ListState<number> => {
      let current = step;
      while (current.request)
        current = applyPage(
          current.state,
          current.request,
          serve(40, current.request.limit, current.request.cursor),
        );
      return current.state;
    };
    let s = settleAsked(firstPage(emptyList<number>(), 14));
    expect(s.items).toEqual(Array.from({ length: 14 }, (_, i) => i + 1));
    // An outage dialog shrinks the list to 3 rows: the page keeps its 14 rows and shows a window.
    expect(pageWindow(s, 3)).toEqual({ start: 0, items: [1, 2, 3] });
    for (let i = 0; i < 5; i += 1) s = moveInList(s, 'down').state;
    expect(pageWindow(s, 3)).toEqual({ start: 3, items: [4, 5, 6] });
    s = settleAsked(moveInList(s, 'pageDown'));
    expect(s.items[0]).toBe(15);
    s = settleAsked(moveInList(s, 'pageUp'));
    expect(s.items).toEqual(Array.from({ length: 14 }, (_, i) => i + 1));
    s = settleAsked(moveInList(s, 'pageDown'));
    s = settleAsked(moveInList(s, 'pageDown'));
    expect(s.items).toEqual(Array.from({ length: 12 }, (_, i) => i + 29));
    // Starting over may take a new size.
    expect(settleAsked(firstPage(s, 5)).items).toEqual([1, 2, 3, 4, 5]);
  });
});
