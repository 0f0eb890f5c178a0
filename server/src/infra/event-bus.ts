/**
 * EventBus: fire-and-forget messages between server nodes (cache invalidation now, battle events later).
 * publish() delivers to every subscriber on every node, the publishing node included. Delivery is
 * best-effort: a message published while the backend is down may be lost, so nothing that must not be
 * lost travels only here (Postgres stays the truth).
 */
export type EventHandler = (message: unknown) => void;

export interface EventBus {
  readonly kind: 'memory' | 'redis';
  /**
   * Resolves even when the message is dropped (backend down: reported to the implementation's onError);
   * rejects only for a message JSON cannot carry. Handlers receive a JSON copy; one that throws is
   * reported, not propagated, and does not stop the others.
   */
  publish(channel: string, message: unknown): Promise<void>;
  /** Returns a function that removes the subscription. */
  subscribe(channel: string, handler: EventHandler): () => void;
  close(): Promise<void>;
}

/**
 * In-process bus: synchronous fan-out to the subscribers of this process. One node only. Like the Redis
 * bus, a subscriber that throws neither stops the others nor reaches the publisher (which may be past a
 * commit); the error goes to onError.
 */
export class LocalEventBus implements EventBus {
  readonly kind = 'memory' as const;
  readonly #handlers = new Map<string, Set<EventHandler>>();

  constructor(private readonly onError: (err: unknown) => void = () => {}) {}

  publish(channel: string, message: unknown): Promise<void> {
    let copy: unknown;
    try {
      // Deliver a copy, as a remote bus would, so no subscriber can mutate the publisher's object.
      copy = JSON.parse(JSON.stringify(message ?? null));
    } catch (err) {
      // Unserializable message (a bigint, a cycle): rejected, as by the Redis bus, never thrown.
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
    for (const handler of [...(this.#handlers.get(channel) ?? [])]) {
      try {
        handler(copy);
      } catch (err) {
        this.onError(err);
      }
    }
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
