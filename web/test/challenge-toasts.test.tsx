// @vitest-environment happy-dom
/**
 * The incoming-challenge prompt: the challenger's name and stake, a countdown that ticks each second
 * and hides the prompt when time is up, accept opening the battle's result, decline sending a decline.
 */
import type { CheckedBattle } from '@metagameplay/client';
import { act } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ChallengeToasts } from '../src/components/challenge-toasts';
import type { GameContextValue } from '../src/game-context';
import { button, PILOT, renderScreen, settle } from './helpers/render';

const NOW = Date.parse('2026-12-01T00:00:00.000Z');
const CHALLENGER = '00000000-0000-4000-8000-00000000000c';

function incoming(id: string, seconds: number): CheckedBattle {
  return {
    id,
    challengerId: CHALLENGER,
    opponentId: PILOT.id,
    stake: 1250,
    status: 'pending',
    winnerId: null,
    challengerPower: null,
    opponentPower: null,
    seedHash: 'a'.repeat(64),
    seed: null,
    challengerClientSeed: 'x',
    opponentClientSeed: null,
    baseStrength: 0,
    ratingChange: null,
    createdAt: new Date(NOW).toISOString(),
    expiresAt: new Date(NOW + seconds * 1000).toISOString(),
    resolvedAt: null,
    verified: null,
  };
}

describe('ChallengeToasts', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    vi.setSystemTime(NOW);
  });
  afterEach(() => {
    vi.useRealTimers();
    document.body.innerHTML = '';
  });

  function battlesApi() {
    return {
      player: vi.fn(async () => ({
        id: CHALLENGER,
        nickname: 'orion',
        power: 3,
        rating: 1000,
        online: true,
      })),
      accept: vi.fn(async (id: string) => ({ battle: { ...incoming(id, 0), status: 'resolved' as const } })),
      decline: vi.fn(async (id: string) => ({ battle: { ...incoming(id, 0), status: 'declined' as const } })),
    };
  }

  it('counts down each second and disappears when the time is up', async () => {
    const battles = battlesApi();
    const answered = vi.fn();
    const view = await renderScreen(
      <ChallengeToasts incoming={[incoming('b1', 3)]} onAnswered={answered} />,
      {},
      {
        battles: battles as unknown as GameContextValue['battles'],
      },
    );
    await settle();
    const text = () => view.container.textContent ?? '';
    expect(text()).toContain('orion challenges you for 12.50 credits.');
    expect(text()).toContain('3 s left');
    await act(async () => {
      vi.advanceTimersByTime(1000);
    });
    expect(text()).toContain('2 s left');
    await act(async () => {
      vi.advanceTimersByTime(2000);
    });
    expect(text()).not.toContain('challenges you');
    expect(battles.accept).not.toHaveBeenCalled();
  });

  it('accept opens the result; decline declines', async () => {
    const battles = battlesApi();
    const navigate = vi.fn();
    const answered = vi.fn();
    const view = await renderScreen(
      <ChallengeToasts incoming={[incoming('b1', 30), incoming('b2', 30)]} onAnswered={answered} />,
      {},
      { battles: battles as unknown as GameContextValue['battles'], navigate },
    );
    await settle();
    const [first, second] = [...view.container.querySelectorAll<HTMLElement>('.challenge')];
    await act(async () => button(first!, 'Accept').click());
    await settle();
    expect(battles.accept).toHaveBeenCalledWith('b1');
    expect(navigate).toHaveBeenCalledWith({ name: 'battle', id: 'b1' });
    await act(async () => button(second!, 'Decline').click());
    await settle();
    expect(battles.decline).toHaveBeenCalledWith('b2');
    expect(answered.mock.calls).toEqual([['b1'], ['b2']]);
  });
});
