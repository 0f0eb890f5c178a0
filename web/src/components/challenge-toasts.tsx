/**
 * Incoming challenges, on whatever screen the pilot is: who, the stake, the seconds left (ticking),
 * accept or decline. Accepting resolves the battle at once and opens its result.
 */
import { failureMessage, liveIncoming, secondsLeft } from '@metagameplay/game';
import type { CheckedBattle } from '@metagameplay/client';
import { formatCredits } from '@metagameplay/protocol';
import { useEffect, useState } from 'react';
import { useGame } from '../game-context';
import { useNicknames } from '../hooks/use-nicknames';

export function ChallengeToasts(props: {
  incoming: readonly CheckedBattle[];
  onAnswered: (battleId: string) => void;
}) {
  const { w, t, battles, gate, navigate, notify } = useGame();
  const [now, setNow] = useState(() => Date.now());
  const [busy, setBusy] = useState<string | null>(null);
  const names = useNicknames(props.incoming.map((b) => b.challengerId));
  const count = props.incoming.length;

  useEffect(() => {
    if (count === 0) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [count]);

  async function answer(battle: CheckedBattle, accept: boolean): Promise<void> {
    setBusy(battle.id);
    const outcome = await gate.run(() => (accept ? battles.accept(battle.id) : battles.decline(battle.id)));
    setBusy(null);
    props.onAnswered(battle.id);
    if (outcome.ok) {
      if (accept) navigate({ name: 'battle', id: battle.id });
    } else if (!outcome.handled) {
      notify({ text: failureMessage(t, outcome.error), tone: 'bad' });
    }
  }

  const live = liveIncoming(props.incoming, now);
  if (live.length === 0) return null;
  return (
    <aside className="challenges" aria-label={w.battle.incomingTitle}>
      {live.map((battle) => {
        const name = names.get(battle.challengerId) ?? '…';
        const left = secondsLeft(battle.expiresAt, now);
        return (
          <section
            key={battle.id}
            className="challenge"
            role="alert"
            aria-labelledby={`challenge-${battle.id}`}
          >
            <h2 id={`challenge-${battle.id}`}>⚔ {w.battle.incomingTitle}</h2>
            <p>{w.battle.incoming(name, formatCredits(battle.stake))}</p>
            {/* A timer is not a live region: the alert is read once, not again at every tick. */}
            <p className="countdown" role="timer">
              {w.battle.secondsLeft(left)}
            </p>
            <div className="row-actions">
              <button
                type="button"
                className="button primary"
                disabled={busy === battle.id}
                onClick={() => void answer(battle, true)}
              >
                {w.battle.accept}
              </button>
              <button
                type="button"
                className="button ghost"
                disabled={busy === battle.id}
                onClick={() => void answer(battle, false)}
              >
                {w.battle.decline}
              </button>
            </div>
          </section>
        );
      })}
    </aside>
  );
}
