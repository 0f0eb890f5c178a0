/**
 * Bus fan-out: every node hears every battle, balance, market, presence and session event (typed and checked by
 * infra/events.ts) and forwards it to the sockets it holds for the players the event names, so an event
 * published on any node reaches a player whichever node holds its sockets.
 */
import type { ServerMessage } from '@metagameplay/protocol';
import type { Events } from '../../infra/events';

export interface FanOutTargets {
  sendTo(playerIds: readonly string[], message: ServerMessage): void;
  broadcast(message: ServerMessage, exceptPlayerId: string): void;
  /** The session of this token ended (`reason`: banned or deleted by an admin): its sockets close. */
  endSession(tokenHash: string, reason?: 'logout' | 'banned' | 'deleted'): void;
}

/** Subscribes; returns the function that unsubscribes everything. */
export function subscribeFanOut(events: Pick<Events, 'subscribe'>, to: FanOutTargets): () => void {
  const unsubscribe = [
    ...(['battle.challenge', 'battle.resolved', 'battle.cancelled'] as const).map((type) =>
      events.subscribe(type, ({ battle }) =>
        to.sendTo([battle.challengerId, battle.opponentId], { type, battle }),
      ),
    ),
    events.subscribe('balance', ({ playerId, balance }) =>
      to.sendTo([playerId], { type: 'balance', balance }),
    ),
    events.subscribe('market.sold', ({ playerId, listing }) =>
      to.sendTo([playerId], { type: 'market.sold', listing }),
    ),
    events.subscribe('presence', ({ playerId, online }) =>
      to.broadcast({ type: 'presence', playerId, online }, playerId),
    ),
    events.subscribe('session.revoked', ({ tokenHash, reason }) => to.endSession(tokenHash, reason)),
  ];
  return () => {
    for (const off of unsubscribe) off();
  };
}
