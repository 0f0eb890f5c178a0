/**
 * Background jobs: work every node repeats on a timer (the battle expiry sweep, the quick-match pass, the
 * WebSocket heartbeat, the presence tick, housekeeping). The composition root (bootstrap.ts) lists them
 * with their intervals from the config; the app starts them when it is ready and stops them when it
 * closes, so no service owns a timer. A tick that finds the previous run of its job still going is
 * skipped, so runs never pile up. A job that fails keeps its schedule, and its failure is logged like an
 * outage (a job that needs Redis fails every second while Redis is down): the first failure with its
 * error, then a reminder at most a minute with the count, and one line when it works again.
 */
import type { FastifyBaseLogger } from 'fastify';

export interface Job {
  name: string;
  everyMs: number;
  /** Also run once at start (the sweep refunds what a crash left; the presence tick registers the node). */
  atStart?: boolean;
  run(): Promise<unknown> | void;
}

export interface Jobs {
  readonly names: readonly string[];
  /** Starts every job; a second call does nothing. */
  start(): void;
  /** Stops every timer and waits for the runs in progress. */
  stop(): Promise<void>;
}

interface Failing {
  since: number;
  lastLine: number;
  failures: number;
}

export function createJobs(
  jobs: readonly Job[],
  log: Pick<FastifyBaseLogger, 'warn' | 'info'>,
  options: { reminderMs?: number; now?: () => number } = {},
): Jobs {
  const { reminderMs = 60_000, now = Date.now } = options;
  const timers: NodeJS.Timeout[] = [];
  const running = new Map<string, Promise<void>>();
  const failing = new Map<string, Failing>();
  let started = false;

  const failed = (job: Job, error: unknown): void => {
    const at = now();
    const state = failing.get(job.name);
    if (!state) {
      failing.set(job.name, { since: at, lastLine: at, failures: 1 });
      log.warn({ err: error, job: job.name }, `${job.name} failed`);
      return;
    }
    state.failures += 1;
    if (at - state.lastLine < reminderMs) return;
    state.lastLine = at;
    const seconds = Math.round((at - state.since) / 1000);
    log.warn({ job: job.name, failures: state.failures }, `${job.name} still failing after ${seconds} s`);
  };
  const succeeded = (job: Job): void => {
    const state = failing.get(job.name);
    if (!state) return;
    failing.delete(job.name);
    const seconds = Math.round((now() - state.since) / 1000);
    log.info({ job: job.name, failures: state.failures }, `${job.name} works again after ${seconds} s`);
  };

  const tick = (job: Job): void => {
    if (running.has(job.name)) return;
    const run = Promise.resolve()
      .then(() => job.run())
      .then(
        () => succeeded(job),
        (error: unknown) => failed(job, error),
      )
      .finally(() => running.delete(job.name));
    running.set(job.name, run);
  };

  return {
    names: jobs.map((job) => job.name),
    start() {
      if (started) return;
      started = true;
      for (const job of jobs) {
        if (job.atStart) tick(job);
        const timer = setInterval(() => tick(job), job.everyMs);
        timer.unref();
        timers.push(timer);
      }
    },
    async stop() {
      for (const timer of timers.splice(0)) clearInterval(timer);
      await Promise.all(running.values());
    },
  };
}
