/**
 * One battle's result: who won, both powers and the odds they gave, the stake won or lost, the rating
 * change, the rounds played out as a short animation, and the fairness proof — "verified ✓" when the
 * client's own `verifyBattle` re-check agrees, with the seeds shown so anyone can redo it by hand.
 */
import { battleView, failureMessage, formatOdds, signedCredits, signedNumber } from '@metagameplay/game';
import type { CheckedBattle } from '@metagameplay/client';
import { type BattleRound, battleRounds, formatCredits } from '@metagameplay/protocol';
import { useEffect, useState } from 'react';
import { Screen } from '../components/screen';
import { ErrorState, Loading } from '../components/states';
import { useGame, useSession } from '../game-context';
import { useNicknames } from '../hooks/use-nicknames';

const ROUND_MS = 450;

function roundsOf(battle: CheckedBattle): BattleRound[] {
  if (battle.status !== 'resolved' || battle.seed === null) return [];
  if (battle.challengerPower === null || battle.opponentPower === null) return [];
  try {
    return battleRounds({
      seed: battle.seed,
      battleId: battle.id,
      challengerClientSeed: battle.challengerClientSeed,
      opponentClientSeed: battle.opponentClientSeed,
      challengerPower: battle.challengerPower,
      opponentPower: battle.opponentPower,
    });
  } catch {
    return [];
  }
}

export function BattleScreen(props: { id: string }) {
  const { t, w, battles, gate, live, notify } = useGame();
  const { player } = useSession();
  const [battle, setBattle] = useState<CheckedBattle | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [shown, setShown] = useState(0);
  const [attempt, setAttempt] = useState(0);
  const [cancelling, setCancelling] = useState(false);

  useEffect(() => {
    let live = true;
    void (async () => {
      const outcome = await gate.run(() => battles.getBattle(props.id));
      if (!live) return;
      if (outcome.ok) setBattle(outcome.value.battle);
      else if (!outcome.handled) setError(outcome.error);
    })();
    return () => {
      live = false;
    };
  }, [attempt]);

  // A pending battle shown here updates when it is resolved or cancelled.
  useEffect(() => {
    const update = ({ battle: next }: { battle: CheckedBattle }): void => {
      if (next.id === props.id) setBattle(next);
    };
    const offs = [live.on('battle.resolved', update), live.on('battle.cancelled', update)];
    return () => offs.forEach((off) => off());
  }, []);

  const rounds = battle ? roundsOf(battle) : [];
  useEffect(() => {
    if (rounds.length === 0 || shown >= rounds.length) return;
    const timer = setTimeout(() => setShown((n) => n + 1), ROUND_MS);
    return () => clearTimeout(timer);
  }, [rounds.length, shown]);

  async function cancel(): Promise<void> {
    setCancelling(true);
    const outcome = await gate.run(() => battles.cancel(props.id));
    setCancelling(false);
    if (outcome.ok) setBattle(outcome.value.battle);
    else if (!outcome.handled) notify({ text: failureMessage(t, outcome.error), tone: 'bad' });
  }

  const names = useNicknames(battle ? [battle.challengerId, battle.opponentId] : []);
  if (battle === null) {
    return (
      <Screen heading={w.battle.resultHeading}>
        {error !== null ? (
          <ErrorState
            error={error}
            onRetry={() => {
              setError(null);
              setAttempt((n) => n + 1);
            }}
          />
        ) : (
          <Loading />
        )}
      </Screen>
    );
  }

  const side = battleView(battle, player.id);
  const opponent = names.get(side.opponentId) ?? '…';
  const last = rounds[Math.min(shown, rounds.length) - 1];
  const hp = (who: 'challenger' | 'opponent'): number =>
    last === undefined ? 100 : who === 'challenger' ? last.challengerHp : last.opponentHp;
  const myHp = hp(side.role);
  const theirHp = hp(side.role === 'challenger' ? 'opponent' : 'challenger');
  const finished = shown >= rounds.length;
  const headline =
    side.won === null
      ? battle.status === 'pending'
        ? w.battle.pending
        : w.battle.status[battle.status]
      : side.won
        ? w.battle.victory
        : w.battle.defeat;

  return (
    <Screen heading={w.battle.resultHeading} wide>
      <div className={`arena${finished && side.won !== null ? (side.won ? ' won' : ' lost') : ''}`}>
        <div className="fighter me">
          <p className="fighter-name">
            {w.battle.you} · {player.nickname}
          </p>
          <p className="fighter-power">⚡ {side.myPower ?? '—'}</p>
          <meter min={0} max={100} value={myHp} aria-label={w.battle.hitPoints(player.nickname)} />
        </div>
        <p className="versus" aria-hidden="true">
          VS
        </p>
        <div className="fighter them">
          <p className="fighter-name">{opponent}</p>
          <p className="fighter-power">⚡ {side.theirPower ?? '—'}</p>
          <meter min={0} max={100} value={theirHp} aria-label={w.battle.hitPoints(opponent)} />
        </div>
      </div>
      <p className={`headline ${side.won === null ? '' : side.won ? 'good' : 'bad'}`} role="status">
        {finished ? headline : w.battle.round(Math.max(1, shown))}
      </p>
      {battle.status === 'pending' && side.role === 'challenger' && (
        <p className="row-actions">
          <button type="button" className="button ghost" disabled={cancelling} onClick={() => void cancel()}>
            {w.battle.cancel}
          </button>
        </p>
      )}
      <dl className="stats">
        <div className="stat cyan">
          <dt>{w.battle.odds}</dt>
          <dd>{side.myOdds === null ? '—' : formatOdds(side.myOdds)}</dd>
        </div>
        <div className="stat gold">
          <dt>{w.battle.stakeLabel}</dt>
          <dd>{formatCredits(side.stake)}</dd>
        </div>
        <div className="stat green">
          <dt>{w.battle.credits}</dt>
          <dd>{signedCredits(side.creditsDelta)}</dd>
        </div>
        <div className="stat violet">
          <dt>{w.battle.ratingChange}</dt>
          <dd>{side.ratingDelta === null ? '—' : signedNumber(side.ratingDelta)}</dd>
        </div>
      </dl>
      {rounds.length > 0 && (
        <section aria-labelledby="rounds-heading">
          <h2 id="rounds-heading" className="section-title">
            {w.battle.rounds}
          </h2>
          <ol className="rounds">
            {rounds.slice(0, shown).map((round, index) => (
              <li key={index} className={round.attacker === side.role ? 'mine' : 'theirs'}>
                {w.battle.round(index + 1)}:{' '}
                {round.attacker === side.role
                  ? w.battle.hit(player.nickname, opponent, round.damage)
                  : w.battle.hit(opponent, player.nickname, round.damage)}
              </li>
            ))}
          </ol>
        </section>
      )}
      <section className="panel fairness" aria-labelledby="fairness-heading">
        <h2 id="fairness-heading">
          {w.battle.fairness}{' '}
          {battle.verified === true && <span className="badge verified">{w.battle.verified}</span>}
          {battle.verified === false && <span className="badge unverified">{w.battle.unverified}</span>}
        </h2>
        <dl className="seeds">
          <dt>{w.battle.seedHash}</dt>
          <dd>
            <code>{battle.seedHash}</code>
          </dd>
          <dt>{w.battle.seed}</dt>
          <dd>
            <code>{battle.seed ?? '—'}</code>
          </dd>
          <dt>{w.battle.clientSeeds}</dt>
          <dd>
            <code>{battle.challengerClientSeed ?? '—'}</code> /{' '}
            <code>{battle.opponentClientSeed ?? '—'}</code>
          </dd>
        </dl>
      </section>
    </Screen>
  );
}
