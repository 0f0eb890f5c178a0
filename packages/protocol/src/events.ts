/**
 * The server's bus events (EventBus, Redis pub/sub between nodes): channel name → payload schema, written
 * once here so publishers and subscribers cannot drift apart. Delivery is best-effort, so no payload is the
 * only record of anything: Postgres stays the truth and a reconnecting client gets the state in `hello`.
 *
 * Battle and balance events are addressed by the player ids inside them (the battle's two players, or
 * `playerId`): each node's WebSocket gateway hears every event and forwards it to the sockets it holds for
 * those players, so an event reaches a player whichever node it is connected to.
 */
import { type Static, Type } from 'typebox';
import { Battle } from './schemas/battles';
import { Money, Uuid } from './schemas/common';
import { Listing } from './schemas/market';

export const BusEvents = {
  /** The catalog changed (admin write): nodes drop their cached shop pages. */
  'catalog.changed': Type.Object({}),
  /**
   * A session was logged out (or found expired), or its player banned or deleted by an admin: every node
   * closes that token's sockets (4003; the close reason says `banned` or `deleted` for those).
   */
  'session.revoked': Type.Object({
    tokenHash: Type.String(),
    reason: Type.Optional(
      Type.Union([Type.Literal('logout'), Type.Literal('banned'), Type.Literal('deleted')]),
    ),
  }),
  /** A challenge was created; for both of its players. */
  'battle.challenge': Type.Object({ battle: Battle }),
  /** A battle was resolved (accept or quick match); for both of its players. */
  'battle.resolved': Type.Object({ battle: Battle }),
  /** A challenge was declined, cancelled or expired; for both of its players. */
  'battle.cancelled': Type.Object({ battle: Battle }),
  /** A player's balance after a money move. */
  balance: Type.Object({ playerId: Uuid, balance: Money }),
  /** A listing was bought; for its seller. */
  'market.sold': Type.Object({ playerId: Uuid, listing: Listing }),
  /** A player came online or went offline (the presence registry saw its first socket / its last go). */
  presence: Type.Object({ playerId: Uuid, online: Type.Boolean() }),
} as const;

export type BusChannel = keyof typeof BusEvents;
/** Payload type of each channel, e.g. `BusEvent<'balance'>`. */
export type BusEvent<C extends BusChannel> = Static<(typeof BusEvents)[C]>;
/** The whole map as one type, for typed publish/subscribe wrappers. */
export type BusEventMap = { [C in BusChannel]: BusEvent<C> };
