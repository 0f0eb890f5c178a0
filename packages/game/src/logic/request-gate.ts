/**
 * The one door every server call of the console goes through. A call that cannot reach the galaxy
 * (network error after the client's own retries, or 5xx unavailable) does not fail the screen that
 * made it: the gate tries again by itself with growing pauses for `patienceMs` (a restarting server
 * needs 3–9 s; the player sees a countdown through onReconnecting), then reports the outage, and the
 * call waits until the player chooses to retry — then runs again, so the screen simply carries on. An expired session is reported once and ends the call.
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
  /** The galaxy is unreachable; the gate tries again by itself at `nextAttemptAt` (epoch ms). */
  onReconnecting?(status: ReconnectStatus): void;
}

export interface ReconnectStatus {
  /** When the next attempt starts (epoch ms). */
  nextAttemptAt: number;
  /** When the gate stops trying by itself and asks the player (epoch ms). */
  askAt: number;
}

export interface GateOptions {
  /** How long the gate retries by itself before asking the player; 0 (the default) asks at once. */
  patienceMs?: number;
  /** First pause between attempts, doubled each time up to maxDelayMs. Defaults 1 s and 8 s. */
  firstDelayMs?: number;
  maxDelayMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export class RequestGate {
  private parked: Array<() => void> = [];
  /** When the current outage began (epoch ms), and how many automatic attempts it has had. */
  private outageSince: number | null = null;
  private attempts = 0;
  private readonly patienceMs: number;
  private readonly firstDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly hooks: GateHooks,
    options: GateOptions = {},
  ) {
    this.patienceMs = options.patienceMs ?? 0;
    this.firstDelayMs = options.firstDelayMs ?? 1_000;
    this.maxDelayMs = options.maxDelayMs ?? 8_000;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  get offline(): boolean {
    return this.parked.length > 0;
  }

  async run<T>(call: () => Promise<T>): Promise<Outcome<T>> {
    for (;;) {
      try {
        const value = await call();
        this.outageSince = null;
        this.attempts = 0;
        this.hooks.onSettled();
        return { ok: true, value };
      } catch (error) {
        const kind = classifyFailure(error);
        if (kind === 'offline') {
          if (!(await this.waitToRetry())) await this.park(error);
          continue;
        }
        this.outageSince = null;
        this.attempts = 0;
        this.hooks.onSettled();
        if (kind === 'session-expired') {
          this.hooks.onSessionExpired();
          return { ok: false, error, handled: true };
        }
        return { ok: false, error, handled: false };
      }
    }
  }

  /**
   * Pauses before an automatic attempt; false once the outage has lasted `patienceMs` (or would by the
   * end of the pause), when it is the player's turn to choose.
   */
  private async waitToRetry(): Promise<boolean> {
    const now = this.now();
    this.outageSince ??= now;
    const askAt = this.outageSince + this.patienceMs;
    if (this.parked.length > 0 || now >= askAt) return false;
    const delay = Math.min(
      this.maxDelayMs,
      this.firstDelayMs * 2 ** Math.min(this.attempts, 16),
      askAt - now,
    );
    this.attempts += 1;
    this.hooks.onReconnecting?.({ nextAttemptAt: now + delay, askAt });
    await this.sleep(delay);
    return true;
  }

  /** The player chose to retry: every parked call runs again, with a new round of patience. */
  retry(): void {
    this.outageSince = null;
    this.attempts = 0;
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
