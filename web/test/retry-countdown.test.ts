/** The automatic retry while offline: counts down, fires, waits longer each time, resets on success. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RetryCountdown, retryDelaySeconds } from '../src/retry-countdown';

describe('RetryCountdown', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('counts down whole seconds, then fires once', () => {
    const fire = vi.fn();
    const ticks: Array<number | null> = [];
    const countdown = new RetryCountdown(fire, (s) => ticks.push(s));
    countdown.start();
    expect(ticks).toEqual([2]);
    vi.advanceTimersByTime(1000);
    expect(ticks).toEqual([2, 1]);
    expect(fire).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1000);
    expect(fire).toHaveBeenCalledTimes(1);
    expect(ticks).toEqual([2, 1, null]);
    vi.advanceTimersByTime(10_000);
    expect(fire).toHaveBeenCalledTimes(1);
  });

  it('waits longer after each failed attempt, up to 10 s, and starts short again after a success', () => {
    const fire = vi.fn();
    const ticks: Array<number | null> = [];
    const countdown = new RetryCountdown(fire, (s) => ticks.push(s));
    const firstTicks: Array<number | null> = [];
    for (let i = 0; i < 6; i++) {
      countdown.start();
      firstTicks.push(ticks.at(-1) ?? null);
      vi.advanceTimersByTime(10_000);
    }
    expect(firstTicks).toEqual([2, 4, 6, 8, 10, 10]);
    expect(fire).toHaveBeenCalledTimes(6);
    countdown.reset();
    countdown.start();
    expect(ticks.at(-1)).toBe(2);
    countdown.dispose();
  });

  it('the Retry button fires at once and stops the countdown', () => {
    const fire = vi.fn();
    const countdown = new RetryCountdown(fire, () => undefined);
    countdown.start();
    countdown.now();
    expect(fire).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(20_000);
    expect(fire).toHaveBeenCalledTimes(1);
  });

  it('delays by attempt', () => {
    expect([0, 1, 2, 3, 4, 5, 99].map(retryDelaySeconds)).toEqual([2, 4, 6, 8, 10, 10, 10]);
  });
});
