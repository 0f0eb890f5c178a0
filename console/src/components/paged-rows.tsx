/**
 * The body every list screen shares: a loading line before the first page, an empty line when the list
 * has nothing, one row per item, and the page footer (page number, more pages, a request in flight).
 */
import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import { useGame } from '../game-context';
import { type ListState, pageNumber, pageWindow } from '@metagameplay/game';

export function PagedRows<T>(props: {
  state: ListState<T>;
  /** Rows that fit now; a page longer than that (the screen shrank) shows a window around the selection. */
  rows: number;
  empty: string;
  row: (item: T, index: number) => ReactNode;
}) {
  const { t } = useGame();
  const { state } = props;
  const view = pageWindow(state, props.rows);
  return (
    <>
      {!state.loaded ? <Text color="cyan">{t.loading}</Text> : null}
      {state.loaded && state.items.length === 0 ? <Text dimColor>{props.empty}</Text> : null}
      {view.items.map((item, index) => props.row(item, view.start + index))}
      <Box marginTop={1}>
        <Text dimColor>
          {t.shop.page(pageNumber(state), state.nextCursor !== null)}
          {state.pending ? ` · ${t.loading}` : ''}
        </Text>
      </Box>
    </>
  );
}
