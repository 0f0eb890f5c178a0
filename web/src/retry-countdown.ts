/**
 * The automatic retry while the galaxy cannot be reached: a countdown of whole seconds, then `fire`
 * (the request gate's retry). Each consecutive outage waits longer (2, 4, 6, 8, then 10 s at most), and
 * `now()` (the Retry button) fires at once. Framework-free so the timing is tested with fake timers.
 */
const RETRY_DELAYS_SECONDS: readonly number[] = [2, 4, 6, 8, 10];

export function retryDelaySeconds(attempt: number): number {
  return RETRY_DELAYS_SECONDS[Math.min(attempt, RETRY_DELAYS_SECONDS.length - 1)] ?? 10;
}

export class RetryCountdown {
  private attempt = 0;
  private left = 0;
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(
    private readonly fire: () => void,
    private readonly onTick: (secondsLeft: number | null) => void,
  ) {}

  /** The galaxy went (or is still) unreachable: count down to the next automatic attempt. */
  start(): void {
    this.stopTimer();
    this.left = retryDelaySeconds(this.attempt);
    this.attempt += 1;
    this.onTick(this.left);
    this.timer = setInterval(() => {
      this.left -= 1;
      if (this.left > 0) {
        this.onTick(this.left);
        return;
      }
      this.stopTimer();
      this.onTick(null);
      this.fire();
    }, 1000);
  }

  /** Retry at once (the player pressed the button). */
  now(): void {
    this.stopTimer();
    this.onTick(null);
    this.fire();
  }

  /** A call got through: the next outage starts again with the shortest wait. */
  reset(): void {
    this.stopTimer();
    this.attempt = 0;
    this.onTick(null);
  }

  dispose(): void {
    this.stopTimer();
  }

  private stopTimer(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }
}
