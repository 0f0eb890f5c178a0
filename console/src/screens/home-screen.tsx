/** Home: the pilot's profile (credits, power, rating, items, the login bonus) and the main menu. */
import { formatCredits } from '@metagameplay/protocol';
import { Box, Text, useInput } from 'ink';
import { useEffect, useState } from 'react';
import { Frame, type Notice } from '../components/frame';
import { useGame } from '../game-context';
import { useRefState } from '../hooks/use-ref-state';
import { failureMessage } from '@metagameplay/game';
import { MENU, menuKey, menuShortcut } from '../logic/menu';

export function HomeScreen() {
  const game = useGame();
  const { t, session } = game;
  const [selected, setSelected, selectedRef] = useRefState(0);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [, setBusy, busyRef] = useRefState(false);

  async function refresh(): Promise<void> {
    const outcome = await game.gate.run(() => game.api.me());
    if (outcome.ok) game.updatePlayer(outcome.value);
    else if (!outcome.handled) setNotice({ text: failureMessage(t, outcome.error), tone: 'bad' });
  }

  async function logout(): Promise<void> {
    setBusy(true);
    const outcome = await game.gate.run(() => game.api.logout());
    if (outcome.ok || !outcome.handled) game.endSession(t.login.loggedOut);
  }

  // The profile is fetched fresh each time the pilot comes home, so item count and power are current.
  useEffect(() => {
    void refresh();
  }, []);

  useInput(
    (input, key) => {
      if (busyRef.current) return;
      const step = menuKey(selectedRef.current, input, key);
      setSelected(step.selected);
      switch (step.choose) {
        case null:
          return;
        case 'refresh':
          setNotice(null);
          void refresh();
          return;
        case 'logout':
          void logout();
          return;
        case 'quit':
          game.quit();
          return;
        default:
          game.go(step.choose);
      }
    },
    { isActive: game.inputActive },
  );

  const player = session?.player;
  if (!player) return null;
  const bonus = session.justArrived ? session.loginBonus : 0;
  return (
    <Frame
      heading={session.returning ? t.home.welcomeBack(player.nickname) : t.home.welcome(player.nickname)}
      keys={t.home.keys}
      notice={notice}
    >
      <Box flexDirection="column" marginTop={1}>
        {bonus > 0 ? <Text color="green">{t.home.bonus(formatCredits(bonus))}</Text> : null}
        <Box marginTop={1} flexDirection="column">
          <Stat label={t.home.balance} value={t.credits(formatCredits(player.balance))} />
          <Stat label={t.home.power} value={String(player.power)} />
          <Stat label={t.home.rating} value={String(player.rating)} />
          <Stat label={t.home.items} value={String(player.itemCount)} />
        </Box>
        <Box marginTop={1} flexDirection="column">
          {MENU.map((entry, index) => (
            <Text key={entry} inverse={index === selected} color={index === selected ? 'cyan' : undefined}>
              {`${index === selected ? '›' : ' '} ${menuShortcut(index)}. ${t.home.menu[index] ?? entry}`}
            </Text>
          ))}
        </Box>
      </Box>
    </Frame>
  );
}

function Stat(props: { label: string; value: string }) {
  return (
    <Box>
      <Box width={12}>
        <Text dimColor>{props.label}</Text>
      </Box>
      <Text bold>{props.value}</Text>
    </Box>
  );
}
