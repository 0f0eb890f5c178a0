/**
 * Where the games' screens subscribe to live events, whichever connection is current: a game opens a
 * connection at each login and closes it at logout or expiry, while a screen's subscription stays put.
 */
import { EventListeners, type Listener } from './event-listeners';
import { REALTIME_EVENTS, type RealtimeEvent, type RealtimeEventMap } from './realtime-events';

/** What LiveEvents needs of a connection (a RealtimeConnection, or a fake in tests). */
export interface LiveSource {
  on<E extends RealtimeEvent>(event: E, listener: Listener<RealtimeEventMap, E>): () => void;
  close(): void;
}

export class LiveEvents {
  readonly #listeners = new EventListeners<RealtimeEventMap>();
  #connection: LiveSource | null = null;
  #unsubscribe: Array<() => void> = [];

  /** Subscribes to one event of every connection attached from now on; returns the unsubscribe function. */
  on<E extends RealtimeEvent>(event: E, listener: Listener<RealtimeEventMap, E>): () => void {
    return this.#listeners.on(event, listener);
  }

  /** Makes `connection` the current one (closing the one before). */
  attach(connection: LiveSource): void {
    this.detach();
    this.#connection = connection;
    this.#unsubscribe = REALTIME_EVENTS.map((event) =>
      connection.on(event, (payload) => this.#listeners.emit(event, payload)),
    );
  }

  /** Closes the current connection, if any; subscriptions stay for the next one. */
  detach(): void {
    for (const off of this.#unsubscribe) off();
    this.#unsubscribe = [];
    this.#connection?.close();
    this.#connection = null;
  }
}
