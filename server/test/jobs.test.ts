/** The background-job runner (server/src/jobs.ts): at start, on schedule, never overlapping, stopped whole. */
import { describe, expect, it, vi } from 'vitest';
import { createJobs } from '../src/jobs';

describe('createJobs', () => {
  it('runs a job at start when asked and then on its interval; stop waits for the run in progress', async () => {
    vi.useFakeTimers();
    try {
      const runs: string[] = [];
      let finish: () => void = () => {};
      const jobs = createJobs(
        [
          { name: 'eager', everyMs: 100, atStart: true, run: () => void runs.push('eager') },
          {
            name: 'slow',
            everyMs: 100,
            run: () => {
              runs.push('slow');
              return new Promise<void>((resolve) => {
                finish = resolve;
              });
            },
          },
        ],
        { warn: () => {} },
      );
      jobs.start();
      jobs.start(); // a second start changes nothing
      await vi.advanceTimersByTimeAsync(0);
      expect(runs).toEqual(['eager']);
      await vi.advanceTimersByTimeAsync(100);
      expect(runs).toEqual(['eager', 'eager', 'slow']);
      // The slow run is still going: its next tick is skipped, not queued.
      await vi.advanceTimersByTimeAsync(300);
      expect(runs.filter((r) => r === 'slow')).toHaveLength(1);
      let stopped = false;
      const stopping = jobs.stop().then(() => {
        stopped = true;
      });
      await vi.advanceTimersByTimeAsync(0);
      expect(stopped).toBe(false);
      finish();
      await stopping;
      const count = runs.length;
      await vi.advanceTimersByTimeAsync(1_000);
      expect(runs).toHaveLength(count);
    } finally {
      vi.useRealTimers();
    }
  });

  it('logs a failed run and keeps the schedule', async () => {
    vi.useFakeTimers();
    try {
      const warn = vi.fn();
      let calls = 0;
      const jobs = createJobs(
        [
          {
            name: 'flaky',
            everyMs: 50,
            run: () => {
              calls++;
              return Promise.reject(new Error('down'));
            },
          },
        ],
        { warn },
      );
      jobs.start();
      await vi.advanceTimersByTimeAsync(150);
      expect(calls).toBe(3);
      expect(warn).toHaveBeenCalledTimes(3);
      expect(warn.mock.calls[0]?.[1]).toBe('flaky failed');
      await jobs.stop();
    } finally {
      vi.useRealTimers();
    }
  });
});
