/**
 * A battle's result from this pilot's side: who won, both powers, the odds cp/(cp+op), the stakes, the
 * credits and rating moved, whether `verifyBattle` confirmed it, and the seeds to re-check it by hand.
 */
import { formatCredits } from '@metagameplay/protocol';
import { Box, Text, useInput } from 'ink';
import { Frame } from '../components/frame';
import { useGame } from '../game-context';
import { battleView, formatOdds, signedCredits, signedNumber } from '@metagameplay/game';

export function ResultScreen() {
  const game = useGame();
  const { t, result, session } = game;
  const r = t.battles.result;

  useInput(
    (input, key) => {
      if (key.escape || key.return || input.toLowerCase() === 'q' || input === 'й') game.go(game.resultBack);
    },
    { isActive: game.inputActive },
  );

  if (result === null || session === null) return null;
  const view = battleView(result, session.player.id);
  return (
    <Frame heading={r.heading} keys={r.keys}>
      <Box flexDirection="column" marginTop={1}>
        <Text bold color={view.won ? 'green' : 'red'}>
          {view.won ? r.won : r.lost}
        </Text>
        <Text>{r.versus(session.player.nickname, game.nameOf(view.opponentId))}</Text>
        <Text>{r.power(view.myPower ?? 0, view.theirPower ?? 0)}</Text>
        {view.myOdds !== null ? <Text>{r.odds(formatOdds(view.myOdds))}</Text> : null}
        <Text>{r.stake(formatCredits(view.stake))}</Text>
        <Text color={view.creditsDelta >= 0 ? 'green' : 'red'}>
          {r.credits(signedCredits(view.creditsDelta))}
        </Text>
        {view.ratingDelta !== null ? <Text>{r.rating(signedNumber(view.ratingDelta))}</Text> : null}
        <Box marginTop={1}>
          {view.verified === true ? (
            <Text color="green" bold>
              {r.verified}
            </Text>
          ) : (
            <Text color="red" bold>
              {r.notVerified}
            </Text>
          )}
        </Box>
        <Text dimColor>{`${r.seedHash}: ${result.seedHash}`}</Text>
        <Text dimColor>{`${r.seed}: ${result.seed ?? '—'}`}</Text>
        <Text dimColor>
          {r.clientSeeds(result.challengerClientSeed ?? '—', result.opponentClientSeed ?? '—')}
        </Text>
      </Box>
    </Frame>
  );
}
