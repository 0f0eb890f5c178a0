/**
 * One place screens subscribe to live events, whichever connection is current: the app opens a new
 * connection at each login and closes it at logout, while a screen's subscription stays put.
 */
import {
  REALTIME_EVENTS,
  type RealtimeConnection,
  type RealtimeEvent,
  type RealtimeEventMap,
} from '@metagameplay/client';

type Listener<E extends RealtimeEvent> = (payload: RealtimeEventMap[E]) => void;

export class LiveHub {
  private connection: RealtimeConnection | null = null;
  private unsubscribe: Array<() => void> = [];
  private readonly listeners = new Map<RealtimeEvent, Set<(payload: never) => void>>();

  on<E extends RealtimeEvent>(event: E, listener: Listener<E>): () => void {
    let set = this.listeners.get(event);
    if (set === undefined) {
      set = new Set();
      this.listeners.set(event, set);
    }
    const entry = listener as (payload: never) => void;
    set.add(entry);
    return () => {
      set.delete(entry);
    };
  }

  attach(connection: RealtimeConnection): void {
    this.detach();
    this.connection = connection;
    this.unsubscribe = REALTIME_EVENTS.map((event) =>
      connection.on(event, (payload) => {
        for (const listener of this.listeners.get(event) ?? [])
          (listener as (p: typeof payload) => void)(payload);
      }),
    );
  }

  detach(): void {
    for (const off of this.unsubscribe) off();
    this.unsubscribe = [];
    this.connection?.close();
    this.connection = null;
  }
}
