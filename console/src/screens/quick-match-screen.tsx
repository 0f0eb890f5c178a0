/**
 * Quick match: type a stake, join the queue, wait (elapsed time shown) until the server pairs this pilot
 * with another; the result screen then opens by itself (app.tsx, on `battle.resolved`). Esc leaves.
 */
import { formatCredits } from '@metagameplay/protocol';
import { Box, Text, useInput } from 'ink';
import { useState } from 'react';
import { Frame, type Notice } from '../components/frame';
import { StakeField } from '../components/stake-field';
import { useGame } from '../game-context';
import { useNow } from '../hooks/use-now';
import { useRefState } from '../hooks/use-ref-state';
import { failureMessage, formatClock, parseStake, secondsSince } from '@metagameplay/game';
import { stakeFieldKey } from '../logic/stake-input';

type Mode =
  | { kind: 'stake'; text: string }
  | { kind: 'joining' }
  | { kind: 'waiting'; stake: number; queuedAt: string };

export function QuickMatchScreen() {
  const game = useGame();
  const { t, api, gate } = game;
  const [mode, setMode, modeRef] = useRefState<Mode>({ kind: 'stake', text: '' });
  const [notice, setNotice] = useState<Notice | null>(null);
  const now = useNow(1000, mode.kind === 'waiting');

  async function join(stake: number): Promise<void> {
    setMode({ kind: 'joining' });
    const outcome = await gate.run(() => api.joinMatchmaking(stake));
    if (outcome.ok)
      setMode({ kind: 'waiting', stake: outcome.value.stake, queuedAt: outcome.value.queuedAt });
    else {
      setMode({ kind: 'stake', text: stake === 0 ? '' : formatCredits(stake) });
      if (!outcome.handled) setNotice({ text: failureMessage(t, outcome.error), tone: 'bad' });
    }
  }

  async function leave(): Promise<void> {
    setMode({ kind: 'joining' });
    const outcome = await gate.run(() => api.leaveMatchmaking());
    setMode({ kind: 'stake', text: '' });
    if (outcome.ok) setNotice({ text: t.battles.quick.left, tone: 'info' });
    else if (!outcome.handled) setNotice({ text: failureMessage(t, outcome.error), tone: 'bad' });
  }

  useInput(
    (input, key) => {
      const current = modeRef.current;
      if (current.kind === 'waiting') {
        if (key.escape) void leave();
        return;
      }
      if (current.kind !== 'stake') return;
      if (key.escape) return game.go('home');
      const field = stakeFieldKey(current.text, input, key);
      setMode({ kind: 'stake', text: field.text });
      if (!field.submit) return;
      const stake = parseStake(field.text);
      if (!stake.ok) return setNotice({ text: t.battles.badStake, tone: 'bad' });
      setNotice(null);
      void join(stake.units);
    },
    { isActive: game.inputActive },
  );

  const keys = mode.kind === 'waiting' ? t.battles.quick.waitingKeys : t.battles.quick.stakeKeys;
  return (
    <Frame heading={t.battles.quick.heading} keys={keys} notice={notice}>
      <Box marginTop={1} flexDirection="column">
        <Text dimColor>{t.shop.balance(formatCredits(game.session?.player.balance ?? 0))}</Text>
        {mode.kind === 'stake' ? (
          <StakeField label={t.battles.quick.stakePrompt} value={mode.text} editing={game.inputActive} />
        ) : null}
        {mode.kind === 'joining' ? <Text color="cyan">{t.loading}</Text> : null}
        {mode.kind === 'waiting' ? (
          <Text color="yellow">
            {t.battles.quick.waiting(
              formatCredits(mode.stake),
              formatClock(secondsSince(mode.queuedAt, now)),
            )}
          </Text>
        ) : null}
      </Box>
    </Frame>
  );
}
