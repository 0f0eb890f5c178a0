/**
 * The in-flight bound of money moves: each player has at most MONEY_MOVES_IN_FLIGHT_MAX moves running at
 * once (on all nodes together); more wait briefly for a slot, then are answered 429, so one player cannot
 * queue the whole database pool on its row lock and starve everyone else.
 */
import type { InFlightLimiter } from '../../infra/in-flight';
import { DomainError } from '../../lib/domain-error';

/** How long a money move waits for one of its player's in-flight slots before it is refused. */
const SLOT_WAIT_MS = 1_000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class MoneySlots {
  constructor(
    private readonly inFlight: Pick<InFlightLimiter, 'acquire'>,
    private readonly max: number,
  ) {}

  /**
   * Runs work while holding one of the player's in-flight slots. A move that finds none free waits a
   * little for one (a burst of a few moves is served, in turn), and is answered 429 RATE_LIMITED when
   * none frees within SLOT_WAIT_MS.
   */
  async run<T>(playerId: string, work: () => Promise<T>): Promise<T> {
    const key = `money:${playerId}`;
    let release = await this.inFlight.acquire(key, this.max);
    for (let waited = 0, pause = 2; !release && waited < SLOT_WAIT_MS; waited += pause, pause *= 2) {
      await sleep(Math.min(pause, SLOT_WAIT_MS - waited));
      release = await this.inFlight.acquire(key, this.max);
    }
    if (!release) {
      throw new DomainError(
        'RATE_LIMITED',
        'Too many money moves in flight for this player; try again in 1 s',
        { retryAfterSeconds: 1 },
        { 'retry-after': '1' },
      );
    }
    try {
      return await work();
    } finally {
      release();
    }
  }
}
