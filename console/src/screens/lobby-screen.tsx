/**
 * The lobby: pilots online now (power, rating), kept live from `presence` events; Enter challenges the
 * pilot under the cursor for a typed stake, then the screen waits for the answer (C cancels). The result
 * screen opens by itself when the challenge is accepted (app.tsx); a decline or expiry shows here.
 */
import { formatCredits, type PublicPlayer } from '@metagameplay/protocol';
import { Box, Text, useInput } from 'ink';
import { useEffect, useState } from 'react';
import { Frame, type Notice, useListRows } from '../components/frame';
import { StakeField } from '../components/stake-field';
import { Row } from '../components/table';
import { useGame } from '../game-context';
import { useNow } from '../hooks/use-now';
import { useRefState } from '../hooks/use-ref-state';
import { stakeFieldKey } from '../logic/stake-input';
import {
  failureMessage,
  lobbyAfterPresence,
  parseStake,
  secondsLeft,
  type VerifiedBattle,
} from '@metagameplay/game';

type Mode =
  | { kind: 'list' }
  | { kind: 'stake'; pilot: PublicPlayer; text: string }
  | { kind: 'sending'; pilot: PublicPlayer }
  | { kind: 'waiting'; pilot: PublicPlayer; battle: VerifiedBattle };

export function LobbyScreen() {
  const game = useGame();
  const { t, api, gate } = game;
  const me = game.session?.player.id ?? '';
  const pageSize = useListRows(14);
  const [players, setPlayers, playersRef] = useRefState<PublicPlayer[]>([]);
  const [loaded, setLoaded] = useState(false);
  const [selected, setSelected, selectedRef] = useRefState(0);
  const [mode, setMode, modeRef] = useRefState<Mode>({ kind: 'list' });
  const [notice, setNotice] = useState<Notice | null>(null);
  const now = useNow(1000, mode.kind === 'waiting');

  async function load(): Promise<void> {
    const outcome = await gate.run(() => api.lobby({ limit: pageSize }));
    setLoaded(true);
    if (outcome.ok) {
      setPlayers(outcome.value.players);
      setSelected(Math.min(selectedRef.current, Math.max(0, outcome.value.players.length - 1)));
    } else if (!outcome.handled) setNotice({ text: failureMessage(t, outcome.error), tone: 'bad' });
  }

  useEffect(() => {
    void load();
    const offs = [
      game.live.on('presence', (event) => {
        const change = lobbyAfterPresence(playersRef.current, event, me);
        setPlayers(change.players);
        if (change.reload) void load();
      }),
      // After a reconnect the presence events missed while away are gone: read the lobby afresh.
      game.live.on('hello', () => void load()),
      game.live.on('battle.cancelled', ({ battle }) => {
        const current = modeRef.current;
        if (current.kind !== 'waiting' || current.battle.id !== battle.id) return;
        const name = current.pilot.nickname;
        setMode({ kind: 'list' });
        setNotice({
          text:
            battle.status === 'declined'
              ? t.battles.lobby.declined(name)
              : battle.status === 'expired'
                ? t.battles.lobby.expired(name)
                : t.battles.lobby.cancelled,
          tone: 'info',
        });
      }),
    ];
    return () => {
      for (const off of offs) off();
    };
  }, []);

  async function challenge(pilot: PublicPlayer, stake: number): Promise<void> {
    setMode({ kind: 'sending', pilot });
    const outcome = await gate.run(() => api.challenge(pilot.id, stake));
    if (outcome.ok) {
      // An answer may have come over the socket before this one: only wait for a battle still pending.
      if (outcome.value.battle.status === 'pending')
        setMode({ kind: 'waiting', pilot, battle: outcome.value.battle });
      else setMode({ kind: 'list' });
    } else {
      setMode({ kind: 'list' });
      if (!outcome.handled) setNotice({ text: failureMessage(t, outcome.error), tone: 'bad' });
    }
  }

  async function cancel(battle: VerifiedBattle): Promise<void> {
    const outcome = await gate.run(() => api.cancel(battle.id));
    if (outcome.ok) {
      setMode({ kind: 'list' });
      setNotice({ text: t.battles.lobby.cancelled, tone: 'info' });
    } else if (!outcome.handled) setNotice({ text: failureMessage(t, outcome.error), tone: 'bad' });
  }

  useInput(
    (input, key) => {
      const current = modeRef.current;
      if (current.kind === 'stake') {
        if (key.escape) return setMode({ kind: 'list' });
        const field = stakeFieldKey(current.text, input, key);
        setMode({ ...current, text: field.text });
        if (!field.submit) return;
        const stake = parseStake(field.text);
        if (!stake.ok) return setNotice({ text: t.battles.badStake, tone: 'bad' });
        setNotice(null);
        void challenge(current.pilot, stake.units);
        return;
      }
      if (current.kind === 'waiting') {
        const letter = input.toLowerCase();
        if (letter === 'c' || letter === 'с') void cancel(current.battle);
        else if (key.escape) game.go('home');
        return;
      }
      if (current.kind === 'sending') return;
      const count = playersRef.current.length;
      if (key.upArrow && count > 0) setSelected((selectedRef.current - 1 + count) % count);
      else if (key.downArrow && count > 0) setSelected((selectedRef.current + 1) % count);
      else if (key.return) {
        const pilot = playersRef.current[selectedRef.current];
        if (pilot) {
          setNotice(null);
          setMode({ kind: 'stake', pilot, text: '' });
        }
      } else if (input.toLowerCase() === 'r' || input === 'к') void load();
      else if (key.escape || input.toLowerCase() === 'q' || input === 'й') game.go('home');
    },
    { isActive: game.inputActive },
  );

  const c = t.battles.lobby.columns;
  const balance = game.session?.player.balance ?? 0;
  return (
    <Frame
      heading={t.battles.lobby.heading}
      keys={mode.kind === 'stake' ? t.battles.lobby.stakeKeys : t.battles.lobby.keys}
      notice={notice}
    >
      <Text dimColor>{t.shop.balance(formatCredits(balance))}</Text>
      <Row
        bold
        columns={[{ text: c.nickname }, { text: c.power, width: 10 }, { text: c.rating, width: 10 }]}
      />
      {!loaded ? <Text color="cyan">{t.loading}</Text> : null}
      {loaded && players.length === 0 ? <Text dimColor>{t.battles.lobby.empty}</Text> : null}
      {players.map((pilot, index) => (
        <Row
          key={pilot.id}
          selected={index === selected}
          columns={[
            { text: pilot.nickname },
            { text: String(pilot.power), width: 10 },
            { text: String(pilot.rating), width: 10 },
          ]}
        />
      ))}
      <Box marginTop={1} flexDirection="column">
        {mode.kind === 'stake' ? (
          <StakeField
            label={t.battles.lobby.stakePrompt(mode.pilot.nickname)}
            value={mode.text}
            editing={game.inputActive}
          />
        ) : null}
        {mode.kind === 'sending' ? <Text color="cyan">{t.battles.lobby.sending}</Text> : null}
        {mode.kind === 'waiting' ? (
          <Text color="yellow">
            {t.battles.lobby.sent(mode.pilot.nickname, secondsLeft(mode.battle.expiresAt, now))}
          </Text>
        ) : null}
      </Box>
    </Frame>
  );
}
