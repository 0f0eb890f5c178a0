/**
 * Quick match: players join the queue (MatchQueue, shared by all nodes with Redis) for a stake; every node
 * pops pairs (atomically, so each player is handed to one node) on a timer and right after each join, and
 * has the battles service hold both stakes and resolve the battle at once, as an accepted challenge.
 * A popped player who went offline meanwhile is dropped and the other goes back with its original
 * waiting time; a player going offline leaves the queue (RealtimeGateway.onOffline).
 */
import type { MatchmakingQueued } from '@metagameplay/protocol';
import type { ServiceContext } from '../../context';
import type { QueueEntry } from '../../infra/match-queue';
import { DomainError } from '../../lib/domain-error';
import type { PlayerService } from '../players/players.service';

/** Resolves a matched pair as a battle (the battles service provides it). */
export interface MatchResolver {
  resolveMatched(challengerId: string, opponentId: string, stake: number): Promise<unknown>;
}

export class MatchmakingService {
  /** The battles service (services.ts wires it); without one nobody is matched (players wait). */
  resolver: MatchResolver | null = null;
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<void> | null = null;
  #again = false;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly players: PlayerService,
  ) {}

  async join(playerId: string, stake: number): Promise<MatchmakingQueued> {
    if (!(await this.ctx.presence.isOnline(playerId))) {
      throw new DomainError(
        'PLAYER_OFFLINE',
        'Quick match pairs online players: open a WebSocket to /api/v1/ws first',
      );
    }
    const { balance, rating } = await this.players.privateProfile(playerId);
    if (balance < stake) {
      throw new DomainError('INSUFFICIENT_FUNDS', `Not enough credits: need ${stake}, have ${balance}`, {
        balance,
        required: stake,
      });
    }
    const queuedAt = Date.now();
    await this.#queue(() => this.ctx.matchQueue.join({ playerId, stake, rating, queuedAt }));
    this.kick();
    return { queuedAt: new Date(queuedAt).toISOString(), stake };
  }

  async leave(playerId: string): Promise<void> {
    await this.#queue(() => this.ctx.matchQueue.leave(playerId));
  }

  start(intervalMs: number): void {
    this.#timer = setInterval(() => this.kick(), intervalMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.#running;
  }

  /** Runs a matching pass now (or once more after the one running). */
  kick(): void {
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#running = this.#matchAll()
      .catch((error: unknown) => this.ctx.log.warn({ err: error }, 'quick match pass failed'))
      .finally(() => {
        this.#running = null;
        if (this.#again && this.#timer) {
          this.#again = false;
          this.kick();
        }
      });
  }

  /** Resolves pairs until none is left; resolves when the pass is over (tests await it). */
  async matchAll(): Promise<void> {
    await this.#running;
    await this.#matchAll();
  }

  async #matchAll(): Promise<void> {
    if (!this.resolver) return;
    for (;;) {
      const pair = await this.ctx.matchQueue.popPair(Date.now());
      if (!pair) return;
      await this.#play(pair);
    }
  }

  async #play([a, b]: [QueueEntry, QueueEntry]): Promise<void> {
    const online = await Promise.all([a, b].map((e) => this.ctx.presence.isOnline(e.playerId)));
    if (!online[0] || !online[1]) {
      // Whoever is still here goes back in line with its waiting time kept.
      for (const [i, entry] of [a, b].entries()) if (online[i]) await this.ctx.matchQueue.join(entry);
      return;
    }
    try {
      await this.resolver?.resolveMatched(a.playerId, b.playerId, a.stake);
    } catch (error) {
      if (error instanceof DomainError && error.code === 'INSUFFICIENT_FUNDS') {
        // One of them spent its stake while waiting: it leaves, the other waits on.
        for (const entry of [a, b]) {
          const { balance } = await this.players.balance(entry.playerId);
          if (balance >= entry.stake) await this.ctx.matchQueue.join(entry);
        }
        return;
      }
      this.ctx.log.warn({ err: error, players: [a.playerId, b.playerId] }, 'quick match battle failed');
    }
  }

  async #queue<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      this.ctx.log.warn({ err: error }, 'matchmaking queue unavailable');
      throw new DomainError('SERVICE_UNAVAILABLE', 'Quick match is unavailable for a moment; try again');
    }
  }
}
