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
        { warn: () => {}, info: () => {} },
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

  it('keeps the schedule of a failing job and logs its failure as an outage: once, a reminder a minute, the end', async () => {
    vi.useFakeTimers();
    try {
      const warn = vi.fn();
      const info = vi.fn();
      let calls = 0;
      let down = true;
      const jobs = createJobs(
        [
          {
            name: 'quick match pass',
            everyMs: 1_000,
            run: () => {
              calls++;
              return down ? Promise.reject(new Error('redis is down')) : undefined;
            },
          },
        ],
        { warn, info },
        { now: () => Date.now() },
      );
      jobs.start();
      await vi.advanceTimersByTimeAsync(3_000);
      expect(calls).toBe(3);
      expect(warn).toHaveBeenCalledTimes(1);
      expect(warn.mock.calls[0]?.[0]).toMatchObject({ err: new Error('redis is down') });
      expect(warn.mock.calls[0]?.[1]).toBe('quick match pass failed');
      await vi.advanceTimersByTimeAsync(59_000);
      expect(warn).toHaveBeenCalledTimes(2);
      expect(warn.mock.calls[1]?.[1]).toBe('quick match pass still failing after 60 s');
      expect(warn.mock.calls[1]?.[0]).toEqual({ job: 'quick match pass', failures: 61 });
      down = false;
      await vi.advanceTimersByTimeAsync(1_000);
      expect(info).toHaveBeenCalledTimes(1);
      expect(info.mock.calls[0]?.[1]).toBe('quick match pass works again after 62 s');
      await vi.advanceTimersByTimeAsync(5_000);
      expect(warn).toHaveBeenCalledTimes(2);
      expect(info).toHaveBeenCalledTimes(1);
      await jobs.stop();
    } finally {
      vi.useRealTimers();
    }
  });
});
