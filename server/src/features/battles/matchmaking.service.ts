/**
 * Quick match: players join the queue (MatchQueue, shared by all nodes with Redis) for a stake; every node
 * pops pairs (atomically, so each player is handed to one node) in a background job and right after each
 * join, and has the resolver (the battles service) hold both stakes and resolve the battle at once, as an
 * accepted challenge. A popped player who went offline meanwhile is dropped and the other goes back with
 * its original waiting time; a player going offline leaves the queue (the gateway's onOffline).
 */
import type { MatchmakingQueued } from '@metagameplay/protocol';
import type { FastifyBaseLogger } from 'fastify';
import type { MatchQueue, QueueEntry } from '../../infra/match-queue';
import type { Presence } from '../../infra/presence';
import { DomainError } from '../../lib/domain-error';
import type { PlayerService } from '../players/players.service';

/** Resolves a matched pair as a battle (the battles service provides it). */
export interface MatchResolver {
  resolveMatched(challengerId: string, opponentId: string, stake: number): Promise<unknown>;
}

export interface MatchmakingDeps {
  presence: Pick<Presence, 'isOnline'>;
  matchQueue: Pick<MatchQueue, 'join' | 'leave' | 'popPair'>;
  players: Pick<PlayerService, 'privateProfile' | 'balance'>;
  /** Null: this node pairs nobody (players wait; tests of the queue's own rules). */
  resolver: MatchResolver | null;
  log: Pick<FastifyBaseLogger, 'warn'>;
}

export class MatchmakingService {
  #running: Promise<void> | null = null;
  #again = false;

  constructor(private readonly deps: MatchmakingDeps) {}

  async join(playerId: string, stake: number): Promise<MatchmakingQueued> {
    if (!(await this.deps.presence.isOnline(playerId))) {
      throw new DomainError(
        'PLAYER_OFFLINE',
        'Quick match pairs online players: open a WebSocket to /api/v1/ws first',
      );
    }
    const { balance, rating } = await this.deps.players.privateProfile(playerId);
    if (balance < stake) {
      throw new DomainError('INSUFFICIENT_FUNDS', `Not enough credits: need ${stake}, have ${balance}`, {
        balance,
        required: stake,
      });
    }
    const queuedAt = Date.now();
    await this.#queue(() => this.deps.matchQueue.join({ playerId, stake, rating, queuedAt }));
    void this.kick();
    return { queuedAt: new Date(queuedAt).toISOString(), stake };
  }

  async leave(playerId: string): Promise<void> {
    await this.#queue(() => this.deps.matchQueue.leave(playerId));
  }

  /**
   * Runs a matching pass now, or once more after the one running (a join during a pass is not missed).
   * Resolves when the passes are over; never rejects (a failed pass is logged). The background job calls it.
   */
  kick(): Promise<void> {
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    this.#running = this.#matchAll()
      .catch((error: unknown) => this.deps.log.warn({ err: error }, 'quick match pass failed'))
      .finally(() => {
        this.#running = null;
      })
      .then(() => {
        if (!this.#again) return;
        this.#again = false;
        return this.kick();
      });
    return this.#running;
  }

  /** Resolves pairs until none is left; resolves when the pass is over (tests await it). */
  async matchAll(): Promise<void> {
    await this.#running;
    await this.#matchAll();
  }

  async #matchAll(): Promise<void> {
    if (!this.deps.resolver) return;
    for (;;) {
      const pair = await this.deps.matchQueue.popPair(Date.now());
      if (!pair) return;
      await this.#play(this.deps.resolver, pair);
    }
  }

  async #play(resolver: MatchResolver, [a, b]: [QueueEntry, QueueEntry]): Promise<void> {
    const { presence, matchQueue, players } = this.deps;
    const online = await Promise.all([a, b].map((e) => presence.isOnline(e.playerId)));
    if (!online[0] || !online[1]) {
      // Whoever is still here goes back in line with its waiting time kept.
      for (const [i, entry] of [a, b].entries()) if (online[i]) await matchQueue.join(entry);
      return;
    }
    try {
      await resolver.resolveMatched(a.playerId, b.playerId, a.stake);
    } catch (error) {
      if (error instanceof DomainError && error.code === 'INSUFFICIENT_FUNDS') {
        // One of them spent its stake while waiting: it leaves, the other waits on.
        for (const entry of [a, b]) {
          const { balance } = await players.balance(entry.playerId);
          if (balance >= entry.stake) await matchQueue.join(entry);
        }
        return;
      }
      this.deps.log.warn({ err: error, players: [a.playerId, b.playerId] }, 'quick match battle failed');
    }
  }

  async #queue<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      this.deps.log.warn({ err: error }, 'matchmaking queue unavailable');
      throw new DomainError('SERVICE_UNAVAILABLE', 'Quick match is unavailable for a moment; try again');
    }
  }
}
