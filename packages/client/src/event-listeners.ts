/**
 * Listeners per event of a typed event map: the one registry behind the live connection and the live
 * events the games subscribe to. A listener that throws is skipped, never breaking the others or the
 * code that emits.
 */
export type Listener<M, E extends keyof M> = (payload: M[E]) => void;

export class EventListeners<M> {
  readonly #byEvent = new Map<keyof M, Set<(payload: never) => void>>();

  /** Subscribes to one event; returns the unsubscribe function. */
  on<E extends keyof M>(event: E, listener: Listener<M, E>): () => void {
    let set = this.#byEvent.get(event);
    if (set === undefined) {
      set = new Set();
      this.#byEvent.set(event, set);
    }
    const entry = listener as (payload: never) => void;
    set.add(entry);
    return () => {
      set.delete(entry);
    };
  }

  emit<E extends keyof M>(event: E, payload: M[E]): void {
    for (const listener of this.#byEvent.get(event) ?? []) {
      try {
        (listener as Listener<M, E>)(payload);
      } catch {
        // A listener's failure must not break the emitter or the other listeners.
      }
    }
  }
}
