/**
 * The full-screen layout every view shares: a title bar, the body, and at the bottom the message of
 * the last action, the connection status (retrying / lost with its choice), and the keys line.
 */
import { Box, Text, useStdout } from 'ink';
import { type ReactNode, useEffect, useState } from 'react';
import { useGame } from '../game-context';

export interface Notice {
  text: string;
  tone: 'good' | 'bad' | 'info';
}

function useTerminalRows(): number {
  const { stdout } = useStdout();
  const [rows, setRows] = useState(stdout.rows || 24);
  useEffect(() => {
    const onResize = (): void => setRows(stdout.rows || 24);
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout]);
  return rows;
}

const toneColor = { good: 'green', bad: 'red', info: 'cyan' } as const;

export function Frame(props: { heading: string; keys: string; notice?: Notice | null; children: ReactNode }) {
  const { t, retry, reconnect, offline, serverUrl } = useGame();
  // One row short of the terminal: Ink redraws in place only while the output is shorter than the screen.
  const rows = useTerminalRows();
  return (
    <Box flexDirection="column" height={Math.max(10, rows - 1)} width="100%">
      <Box borderStyle="round" borderColor="cyan" paddingX={1} flexShrink={0}>
        <Text bold color="cyan" wrap="truncate">
          {t.title}
        </Text>
        <Text> · </Text>
        <Text bold wrap="truncate">
          {props.heading}
        </Text>
      </Box>
      <Box flexDirection="column" flexGrow={1} paddingX={1} overflow="hidden">
        {props.children}
      </Box>
      <Box flexDirection="column" flexShrink={0} paddingX={1}>
        {props.notice ? <Text color={toneColor[props.notice.tone]}>{props.notice.text}</Text> : null}
        {offline ? (
          <Box borderStyle="double" borderColor="red" paddingX={1} flexDirection="column">
            <Text color="red" bold>
              {t.connection.lost}
            </Text>
            <Text>{t.connection.hint(serverUrl)}</Text>
            <Text>{t.connection.choice}</Text>
          </Box>
        ) : reconnect ? (
          <Countdown until={reconnect.nextAttemptAt} text={t.connection.reconnecting} />
        ) : retry ? (
          <Text color="yellow">{t.connection.retrying(retry.attempt, retry.maxAttempts)}</Text>
        ) : null}
        <Text dimColor wrap="truncate">
          {props.keys}
        </Text>
      </Box>
    </Box>
  );
}

/** "trying again in 3 s…", counting down each second. */
function Countdown(props: { until: number; text: (seconds: number) => string }) {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, []);
  return <Text color="yellow">{props.text(Math.max(0, Math.ceil((props.until - now) / 1000)))}</Text>;
}

/** How many list rows fit: the terminal height less the frame's fixed lines. */
export function useListRows(reserved: number): number {
  const rows = useTerminalRows();
  return Math.max(3, Math.min(100, rows - reserved));
}
