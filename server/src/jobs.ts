/**
 * Background jobs: work every node repeats on a timer (the battle expiry sweep, the quick-match pass, the
 * WebSocket heartbeat, the presence tick, housekeeping). The composition root (bootstrap.ts) lists them
 * with their intervals from the config; the app starts them when it is ready and stops them when it
 * closes, so no service owns a timer. A run that fails is logged and the job keeps its schedule; a tick
 * that finds the previous run of its job still going is skipped, so runs never pile up.
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

export function createJobs(jobs: readonly Job[], log: Pick<FastifyBaseLogger, 'warn'>): Jobs {
  const timers: NodeJS.Timeout[] = [];
  const running = new Map<string, Promise<void>>();
  let started = false;

  const tick = (job: Job): void => {
    if (running.has(job.name)) return;
    const run = Promise.resolve()
      .then(() => job.run())
      .then(
        () => undefined,
        (error: unknown) => log.warn({ err: error, job: job.name }, `${job.name} failed`),
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
