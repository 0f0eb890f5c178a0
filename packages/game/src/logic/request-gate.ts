/**
 * The one door every server call of the console goes through. A call that cannot reach the galaxy
 * (network error after the client's own retries, or 5xx unavailable) does not fail the screen that
 * made it: the gate reports the outage, and the call waits until the player chooses to retry — then
 * runs again, so the screen simply carries on. An expired session is reported once and ends the call.
 * Every other refusal goes back to the caller as `{ ok: false }` for a friendly message.
 */
import { classifyFailure } from './failure';

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown; handled: boolean };

export interface GateHooks {
  /** The galaxy is unreachable; calls are parked until `retry()`. */
  onOffline(error: unknown): void;
  /** A call settled (the retry status line can be cleared). */
  onSettled(): void;
  /** An authenticated call was refused: the session is gone. */
  onSessionExpired(): void;
}

export class RequestGate {
  private parked: Array<() => void> = [];

  constructor(private readonly hooks: GateHooks) {}

  get offline(): boolean {
    return this.parked.length > 0;
  }

  async run<T>(call: () => Promise<T>): Promise<Outcome<T>> {
    for (;;) {
      try {
        const value = await call();
        this.hooks.onSettled();
        return { ok: true, value };
      } catch (error) {
        const kind = classifyFailure(error);
        if (kind === 'offline') {
          await this.park(error);
          continue;
        }
        this.hooks.onSettled();
        if (kind === 'session-expired') {
          this.hooks.onSessionExpired();
          return { ok: false, error, handled: true };
        }
        return { ok: false, error, handled: false };
      }
    }
  }

  /** The player chose to retry: every parked call runs again. */
  retry(): void {
    const parked = this.parked;
    this.parked = [];
    for (const resume of parked) resume();
  }

  private park(error: unknown): Promise<void> {
    return new Promise((resume) => {
      this.parked.push(resume);
      if (this.parked.length === 1) this.hooks.onOffline(error);
    });
  }
}
