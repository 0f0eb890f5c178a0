/**
 * EventBus: fire-and-forget messages between server nodes (cache invalidation now, battle events later).
 * publish() delivers to every subscriber on every node, the publishing node included. Delivery is
 * best-effort: a message published while the backend is down may be lost, so nothing that must not be
 * lost travels only here (Postgres stays the truth).
 */
export type EventHandler = (message: unknown) => void;

export interface EventBus {
  readonly kind: 'memory' | 'redis';
  publish(channel: string, message: unknown): Promise<void>;
  /** Returns a function that removes the subscription. */
  subscribe(channel: string, handler: EventHandler): () => void;
  close(): Promise<void>;
}

/** In-process bus: synchronous fan-out to the subscribers of this process. One node only. */
export class LocalEventBus implements EventBus {
  readonly kind = 'memory' as const;
  readonly #handlers = new Map<string, Set<EventHandler>>();

  publish(channel: string, message: unknown): Promise<void> {
    // Deliver a copy, as a remote bus would, so no subscriber can mutate the publisher's object.
    const copy: unknown = JSON.parse(JSON.stringify(message ?? null));
    for (const handler of this.#handlers.get(channel) ?? []) handler(copy);
    return Promise.resolve();
  }

  subscribe(channel: string, handler: EventHandler): () => void {
    let set = this.#handlers.get(channel);
    if (!set) {
      set = new Set();
      this.#handlers.set(channel, set);
    }
    set.add(handler);
    return () => {
      set.delete(handler);
    };
  }

  close(): Promise<void> {
    this.#handlers.clear();
    return Promise.resolve();
  }
}
