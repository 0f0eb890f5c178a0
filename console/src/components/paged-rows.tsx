/**
 * The body every list screen shares: a loading line before the first page, an empty line when the list
 * has nothing, one row per item, and the page footer (page number, more pages, a request in flight).
 */
import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import { useGame } from '../game-context';
import { type ListState, pageNumber } from '@metagameplay/game';

export function PagedRows<T>(props: {
  state: ListState<T>;
  empty: string;
  row: (item: T, index: number) => ReactNode;
}) {
  const { t } = useGame();
  const { state } = props;
  return (
    <>
      {!state.loaded ? <Text color="cyan">{t.loading}</Text> : null}
      {state.loaded && state.items.length === 0 ? <Text dimColor>{props.empty}</Text> : null}
      {state.items.map(props.row)}
      <Box marginTop={1}>
        <Text dimColor>
          {t.shop.page(pageNumber(state), state.nextCursor !== null)}
          {state.pending ? ` · ${t.loading}` : ''}
        </Text>
      </Box>
    </>
  );
}
