/** A one-line text field for a stake in credits, with a cursor block while it is being edited. */
import { Box, Text } from 'ink';

export function StakeField(props: { label: string; value: string; editing: boolean }) {
  return (
    <Box>
      <Text bold>{props.label}</Text>
      <Text>{props.value}</Text>
      {props.editing ? <Text inverse> </Text> : null}
    </Box>
  );
}
