/**
 * What the log says about a Redis outage. ioredis reports every failed reconnect attempt (several a
 * second across a node's connections), and the components report each command they could not run; a
 * line with a stack trace for each of them buried everything else. So the outage is logged once when it
 * starts, once when it ends, and in between as a reminder at most every `reminderMs` with the number of
 * errors it stood for. Errors while Redis is up (a dropped event, an odd reply) are logged as they come.
 */

/** The part of a pino logger this needs. */
export interface OutageLogger {
  warn(details: object, message: string): void;
  info(details: object, message: string): void;
}

export class RedisOutageLog {
  #downSince: number | null = null;
  #lastLine = 0;
  #quiet = 0;

  constructor(
    private readonly log: OutageLogger,
    private readonly reminderMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  get down(): boolean {
    return this.#downSince !== null;
  }

  /** A connection failed (an ioredis 'error' event). */
  connectionError(err: unknown): void {
    const at = this.now();
    if (this.#downSince === null) {
      this.#downSince = at;
      this.#lastLine = at;
      this.#quiet = 0;
      this.log.warn(
        { reason: reasonOf(err) },
        'redis is unreachable; serving from Postgres without it, reconnecting in the background',
      );
      return;
    }
    this.#errorDuringOutage(at);
  }

  /** A component could not use Redis, or got something unexpected from it. */
  componentError(err: unknown): void {
    if (this.#downSince === null) {
      this.log.warn({ err }, 'redis');
      return;
    }
    this.#errorDuringOutage(this.now());
  }

  /** A connection is ready (again). */
  ready(): void {
    if (this.#downSince === null) return;
    const seconds = Math.round((this.now() - this.#downSince) / 1000);
    this.#downSince = null;
    this.log.info({ downSeconds: seconds, errors: this.#quiet }, `redis is back after ${seconds} s`);
  }

  #errorDuringOutage(at: number): void {
    this.#quiet += 1;
    if (this.#downSince === null || at - this.#lastLine < this.reminderMs) return;
    this.#lastLine = at;
    const seconds = Math.round((at - this.#downSince) / 1000);
    this.log.warn(
      { downSeconds: seconds, errors: this.#quiet },
      `redis still unreachable after ${seconds} s`,
    );
  }
}

function reasonOf(err: unknown): string {
  return err instanceof Error ? err.message || err.name : String(err);
}
