// @vitest-environment happy-dom
/**
 * Quick match in the lobby: the pair can be resolved, and its `battle.resolved` event arrive on the
 * socket, before the answer to the join does; the lobby must still open the result (and not leave a
 * queue it is no longer in), and a pilot who left the queue is not carried off by a later battle.
 */
import { type CheckedBattle, LiveEvents, type LiveSource } from '@metagameplay/client';
import type { MatchmakingQueued } from '@metagameplay/protocol';
import { act } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { GameContextValue } from '../src/game-context';
import { LobbyScreen } from '../src/screens/lobby-screen';
import { button, PILOT, type Rendered, renderScreen, settle } from './helpers/render';

const OTHER = '00000000-0000-4000-8000-00000000000c';
const BATTLE_ID = '00000000-0000-4000-8000-0000000000b1';

function resolvedBattle(): CheckedBattle {
  return {
    id: BATTLE_ID,
    challengerId: OTHER,
    opponentId: PILOT.id,
    stake: 100,
    status: 'resolved',
    winnerId: PILOT.id,
    challengerPower: 1,
    opponentPower: 1,
    seedHash: 'a'.repeat(64),
    seed: 'b'.repeat(64),
    challengerClientSeed: null,
    opponentClientSeed: null,
    baseStrength: 0,
    ratingChange: 16,
    createdAt: '2026-12-01T00:00:00.000Z',
    expiresAt: '2026-12-01T00:01:00.000Z',
    resolvedAt: '2026-12-01T00:00:00.000Z',
    verified: true,
  };
}

/** A connection whose events the test emits by hand, attached to the live events the screen reads. */
function fakeRealtime() {
  const handlers = new Map<string, Set<(payload: unknown) => void>>();
  const live = new LiveEvents();
  live.attach({
    on: (event: string, handler: (payload: never) => void) => {
      const set = handlers.get(event) ?? new Set();
      set.add(handler as (payload: unknown) => void);
      handlers.set(event, set);
      return () => set.delete(handler as (payload: unknown) => void);
    },
    close: () => undefined,
  } as LiveSource);
  const emit = async (event: string, payload: unknown): Promise<void> => {
    await act(async () => {
      for (const handler of handlers.get(event) ?? []) handler(payload);
    });
  };
  return { live, emit };
}

async function openLobby(
  battles: object,
  socket: ReturnType<typeof fakeRealtime>,
  navigate: GameContextValue['navigate'],
): Promise<Rendered> {
  const view = await renderScreen(
    <LobbyScreen />,
    {},
    { battles: battles as GameContextValue['battles'], live: socket.live, navigate },
  );
  await settle();
  return view;
}

async function joinQueue(container: HTMLElement): Promise<void> {
  await act(async () => button(container, 'Find a match').click());
  const dialog = container.querySelector('dialog');
  if (dialog === null) throw new Error('no stake dialog');
  await act(async () => button(dialog, 'Find a match').click());
}

describe('LobbyScreen quick match', () => {
  afterEach(() => {
    document.body.innerHTML = '';
  });

  function setup() {
    let answerJoin: (queued: MatchmakingQueued) => void = () => undefined;
    const battles = {
      lobby: vi.fn(async () => ({ players: [], nextCursor: null })),
      joinMatchmaking: vi.fn(
        (stake: number) =>
          new Promise<MatchmakingQueued>((resolve) => {
            answerJoin = resolve;
            void stake;
          }),
      ),
      leaveMatchmaking: vi.fn(async () => undefined),
    };
    const navigate = vi.fn();
    const socket = fakeRealtime();
    return { battles, navigate, socket, answer: (q: MatchmakingQueued) => answerJoin(q) };
  }

  it('opens the result when the pair is resolved before the join is answered', async () => {
    const { battles, navigate, socket, answer } = setup();
    const view = await openLobby(battles, socket, navigate);
    await joinQueue(view.container);
    expect(battles.joinMatchmaking).toHaveBeenCalledWith(0);

    await socket.emit('battle.resolved', { battle: resolvedBattle() });
    expect(navigate).toHaveBeenCalledWith({ name: 'battle', id: BATTLE_ID });

    await act(async () => answer({ queuedAt: '2026-12-01T00:00:00.000Z', stake: 0 }));
    await settle();
    expect(view.container.textContent).not.toContain('Searching the galaxy');
    view.unmount();
    expect(battles.leaveMatchmaking).not.toHaveBeenCalled();
  });

  it('waits, then leaves; a battle resolved after leaving opens nothing', async () => {
    const { battles, navigate, socket, answer } = setup();
    const view = await openLobby(battles, socket, navigate);
    await joinQueue(view.container);
    await act(async () => answer({ queuedAt: '2026-12-01T00:00:00.000Z', stake: 0 }));
    await settle();
    expect(view.container.textContent).toContain('Searching the galaxy for an opponent (stake 0.00 credits)');

    await act(async () => button(view.container, 'Leave the queue').click());
    await settle();
    expect(battles.leaveMatchmaking).toHaveBeenCalledTimes(1);
    await socket.emit('battle.resolved', { battle: resolvedBattle() });
    expect(navigate).not.toHaveBeenCalled();
    view.unmount();
    expect(battles.leaveMatchmaking).toHaveBeenCalledTimes(1);
  });
});
