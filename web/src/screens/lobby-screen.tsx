/**
 * The lobby: pilots online now (pages of the server's list, refreshed live from `presence` events),
 * each challenged with a stake; and quick match — join the queue with a stake, wait, leave. A battle
 * resolved while waiting opens its result.
 */
import { failureMessage } from '@metagameplay/game';
import { formatCredits, type PublicPlayer } from '@metagameplay/protocol';
import { useEffect, useRef, useState } from 'react';
import { PagedView } from '../components/paged-view';
import { Screen } from '../components/screen';
import { StakeDialog } from '../components/stake-dialog';
import { Stat } from '../components/stat';
import { useGame, useSession } from '../game-context';
import { usePagedList } from '../hooks/use-paged-list';

const PAGE_SIZE = 12;
/** Presence events come in bursts (a node restart): one reload for a burst. */
const PRESENCE_SETTLE_MS = 400;

export function LobbyScreen() {
  const { t, w, battles, gate, live, navigate, notify } = useGame();
  const { player } = useSession();
  const [challenging, setChallenging] = useState<PublicPlayer | null>(null);
  const [askingMatch, setAskingMatch] = useState(false);
  const [queued, setQueued] = useState<number | null>(null);
  // In the queue or on the way in: the pair can be resolved (and its event arrive on the socket)
  // before the answer to the join does, so this is set before the request, not after it.
  const queuedRef = useRef(false);
  const list = usePagedList<PublicPlayer>(async (cursor) => {
    const page = await battles.lobby({ limit: PAGE_SIZE, ...(cursor === null ? {} : { cursor }) });
    return { items: page.players, nextCursor: page.nextCursor };
  });
  const reloadRef = useRef(list.reload);
  reloadRef.current = list.reload;

  useEffect(() => list.reset(), []);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const offPresence = live.on('presence', () => {
      if (timer !== null) clearTimeout(timer);
      timer = setTimeout(() => reloadRef.current(), PRESENCE_SETTLE_MS);
    });
    const offResolved = live.on('battle.resolved', ({ battle }) => {
      if (!queuedRef.current) return;
      queuedRef.current = false;
      setQueued(null);
      navigate({ name: 'battle', id: battle.id });
    });
    return () => {
      if (timer !== null) clearTimeout(timer);
      offPresence();
      offResolved();
    };
  }, []);

  // Leaving the screen leaves the queue.
  useEffect(
    () => () => {
      if (queuedRef.current) void battles.leaveMatchmaking().catch(() => undefined);
    },
    [],
  );

  async function challenge(opponent: PublicPlayer, stake: number): Promise<void> {
    const outcome = await gate.run(() => battles.challenge(opponent.id, stake));
    if (outcome.ok) {
      notify({
        text: w.battle.sent(opponent.nickname, formatCredits(stake)),
        tone: 'info',
        action: { label: w.battle.viewChallenge, route: { name: 'battle', id: outcome.value.battle.id } },
      });
    } else if (!outcome.handled) notify({ text: failureMessage(t, outcome.error), tone: 'bad' });
  }

  async function joinQueue(stake: number): Promise<void> {
    queuedRef.current = true;
    const outcome = await gate.run(() => battles.joinMatchmaking(stake));
    if (!queuedRef.current) return; // already paired and on its way to the result
    if (outcome.ok) {
      setQueued(outcome.value.stake);
      return;
    }
    queuedRef.current = false;
    if (!outcome.handled) notify({ text: failureMessage(t, outcome.error), tone: 'bad' });
  }

  async function leaveQueue(): Promise<void> {
    queuedRef.current = false;
    const outcome = await gate.run(() => battles.leaveMatchmaking());
    setQueued(null);
    if (!outcome.ok && !outcome.handled) notify({ text: failureMessage(t, outcome.error), tone: 'bad' });
  }

  return (
    <Screen heading={w.battle.lobbyHeading} wide>
      <section className="panel quick-match" aria-labelledby="quick-match-heading">
        <div>
          <h2 id="quick-match-heading">{w.battle.quickMatch}</h2>
          <p className="hint">{w.battle.quickMatchHint}</p>
        </div>
        {queued === null ? (
          <button type="button" className="button primary" onClick={() => setAskingMatch(true)}>
            {w.battle.findMatch}
          </button>
        ) : (
          <div className="waiting" role="status">
            <span className="radar" aria-hidden="true" />
            <p>{w.battle.waiting(formatCredits(queued))}</p>
            <button type="button" className="button ghost" onClick={() => void leaveQueue()}>
              {w.battle.leave}
            </button>
          </div>
        )}
      </section>
      <PagedView
        list={list}
        empty={w.battle.lobbyEmpty}
        label={w.battle.lobbyHeading}
        row={(pilot) => (
          <li key={pilot.id} className="row pilot">
            <span className="pilot-name">
              <span className="online-dot" aria-hidden="true" />
              {pilot.nickname}
            </span>
            <Stat kind="power" label={w.battle.power}>
              {pilot.power}
            </Stat>
            <Stat kind="rating" label={w.battle.rating}>
              {pilot.rating}
            </Stat>
            <span className="item-action">
              <button
                type="button"
                className="button small"
                aria-label={w.battle.challengeWho(pilot.nickname)}
                disabled={pilot.id === player.id}
                onClick={() => setChallenging(pilot)}
              >
                {w.battle.challenge}
              </button>
            </span>
          </li>
        )}
      />
      {challenging && (
        <StakeDialog
          title={w.battle.challengeTitle(challenging.nickname)}
          submitLabel={w.battle.send}
          onDone={(stake) => {
            const opponent = challenging;
            setChallenging(null);
            if (stake !== null) void challenge(opponent, stake);
          }}
        />
      )}
      {askingMatch && (
        <StakeDialog
          title={w.battle.quickMatch}
          submitLabel={w.battle.findMatch}
          onDone={(stake) => {
            setAskingMatch(false);
            if (stake !== null) void joinQueue(stake);
          }}
        />
      )}
    </Screen>
  );
}
