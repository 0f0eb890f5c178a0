/** The events a live connection emits, with their payloads: what the games subscribe to. */
import type {
  BalanceMessage,
  ErrorMessage,
  Listing,
  PresenceMessage,
  PrivatePlayer,
} from '@metagameplay/protocol';
import type { Static } from 'typebox';
import type { CheckedBattle } from './checked-battle';

export type RealtimeStatus = 'connecting' | 'open' | 'reconnecting' | 'stopped';

export type StopReason = 'session-expired' | 'too-many-sockets' | 'closed';

/** `hello` as handed on: the protocol's message with every pending battle checked. */
export interface HelloEvent {
  player: PrivatePlayer;
  balance: number;
  pendingChallenges: CheckedBattle[];
}

export interface RealtimeEventMap {
  /** Authenticated (first connect or any reconnect): the whole current state, to re-sync from. */
  hello: HelloEvent;
  presence: Omit<Static<typeof PresenceMessage>, 'type'>;
  'battle.challenge': { battle: CheckedBattle };
  'battle.resolved': { battle: CheckedBattle };
  'battle.cancelled': { battle: CheckedBattle };
  balance: Omit<Static<typeof BalanceMessage>, 'type'>;
  /** One of the pilot's market listings was bought by another pilot. */
  'market.sold': { listing: Listing };
  /** An `error` frame from the server (a refused message, or the reason before a close). */
  error: Omit<Static<typeof ErrorMessage>, 'type'>;
  /** A resolved battle that `verifyBattle` refutes (it also arrives as usual, with `verified: false`). */
  unverified: { battle: CheckedBattle };
  /** A frame that was not JSON or not a valid server message; it was dropped. */
  invalid: { data: unknown };
  status: { status: RealtimeStatus; attempt: number; delayMs?: number };
  /** The connection ended for good; `close()` or a close code that says not to retry. */
  stopped: { reason: StopReason; code: number };
}

export type RealtimeEvent = keyof RealtimeEventMap;

/** One key per event, so the compiler says when an event is added to the map and not here. */
const EVERY_EVENT: { readonly [E in RealtimeEvent]: null } = {
  hello: null,
  presence: null,
  'battle.challenge': null,
  'battle.resolved': null,
  'battle.cancelled': null,
  balance: null,
  'market.sold': null,
  error: null,
  unverified: null,
  invalid: null,
  status: null,
  stopped: null,
};

/** Every event a connection emits: for code that forwards or records them all. */
export const REALTIME_EVENTS = Object.keys(EVERY_EVENT) as readonly RealtimeEvent[];
