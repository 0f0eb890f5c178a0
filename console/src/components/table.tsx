/** A list row with fixed-width columns: a selection marker, a name that truncates, numbers on the right. */
import { Box, Text } from 'ink';

export interface Column {
  text: string;
  width?: number;
  color?: string;
}

export function Row(props: {
  selected?: boolean;
  dim?: boolean;
  bold?: boolean;
  columns: readonly Column[];
}) {
  const { selected = false, dim = false } = props;
  return (
    <Box>
      <Box width={2} flexShrink={0}>
        <Text color="cyan">{selected ? '›' : ' '}</Text>
      </Box>
      {props.columns.map((column, index) => (
        <Box
          // Columns are positional and never reorder.
          key={index}
          {...(column.width === undefined
            ? { flexGrow: 1, flexBasis: 0 }
            : { width: column.width, flexShrink: 0 })}
          justifyContent={column.width === undefined ? 'flex-start' : 'flex-end'}
          paddingRight={1}
        >
          <Text
            wrap="truncate"
            inverse={selected}
            dimColor={dim}
            bold={props.bold ?? false}
            {...(column.color && !dim ? { color: column.color } : {})}
          >
            {column.text}
          </Text>
        </Box>
      ))}
    </Box>
  );
}
