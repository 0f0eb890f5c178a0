/**
 * RedisEventBus: the EventBus between nodes, over Redis pub/sub. Messages travel as JSON on channel
 * `<prefix>ev:<channel>`; the publishing node hears its own messages through the same Redis round trip as
 * everyone else, so all nodes see one order per channel.
 *
 * Two connections: `pub` (may be shared with the cache and rate limits) and `sub`, which Redis dedicates to
 * subscriptions once it subscribes. We keep the wanted channel set ourselves and SUBSCRIBE to all of it on
 * every 'ready': ioredis's own autoResubscribe only restores channels whose SUBSCRIBE succeeded, so a
 * subscribe() made during an outage would be lost (redis.ts turns it off).
 *
 * publish() while Redis is down resolves anyway and reports the drop through onError: delivery is
 * best-effort by contract, and a rejection that a caller forgot to catch would crash the process, which is
 * worse than a lost event. It rejects only for a message that cannot be serialized (a programming error).
 */
import type { EventBus, EventHandler } from './event-bus.js';
import { closeRedisClient, isReady, type Redis } from './redis.js';

export interface RedisEventBusOptions {
  /** Publishing connection; may be shared with other components. */
  pub: Redis;
  /** Subscribing connection; must not be used by anything else. */
  sub: Redis;
  keyPrefix?: string;
  /** Dropped publishes, failed (re)subscriptions, unparsable messages and exceptions thrown by handlers. */
  onError?: (err: unknown) => void;
  /** Quit pub on close() (sub always belongs to the bus); false when pub is shared. */
  ownsPub?: boolean;
}

export class RedisEventBus implements EventBus {
  readonly kind = 'redis' as const;
  readonly #pub: Redis;
  readonly #sub: Redis;
  readonly #prefix: string;
  readonly #onError: (err: unknown) => void;
  readonly #ownsPub: boolean;
  readonly #handlers = new Map<string, Set<EventHandler>>();
  /** SUBSCRIBE/UNSUBSCRIBE commands not yet answered; see subscribed(). */
  readonly #pending = new Set<Promise<void>>();
  #closed = false;
  /**
   * The wanted channels were sent since the connection last came up. ioredis sets its status to 'ready'
   * a tick before it emits 'ready', so the status alone would let subscribed() answer before #onReady
   * has subscribed (a message published then was lost: seen as a flaky test under load).
   */
  #upToDate = false;

  readonly #onReady = (): void => {
    this.#upToDate = true;
    const channels = [...this.#handlers.keys()].map((channel) => this.#prefix + channel);
    if (channels.length > 0) this.#track(this.#sub.subscribe(...channels));
  };

  readonly #onClose = (): void => {
    this.#upToDate = false;
  };

  readonly #onMessage = (redisChannel: string, payload: string): void => {
    if (!redisChannel.startsWith(this.#prefix)) return;
    const handlers = this.#handlers.get(redisChannel.slice(this.#prefix.length));
    if (!handlers || handlers.size === 0) return;
    let message: unknown;
    try {
      message = JSON.parse(payload);
    } catch (err) {
      this.#onError(err);
      return;
    }
    // Copy the set: a handler may unsubscribe itself (or others) while we iterate.
    for (const handler of [...handlers]) {
      try {
        handler(message);
      } catch (err) {
        // One failing subscriber must not starve the others, nor kill the connection's data handler.
        this.#onError(err);
      }
    }
  };

  constructor(options: RedisEventBusOptions) {
    this.#pub = options.pub;
    this.#sub = options.sub;
    this.#prefix = `${options.keyPrefix ?? ''}ev:`;
    this.#onError = options.onError ?? (() => {});
    this.#ownsPub = options.ownsPub ?? false;
    this.#sub.on('ready', this.#onReady);
    this.#sub.on('close', this.#onClose);
    this.#sub.on('message', this.#onMessage);
    // A connection that is up already (and announced it): nothing is wanted yet, so nothing is missing.
    if (isReady(this.#sub)) this.#upToDate = true;
  }

  async publish(channel: string, message: unknown): Promise<void> {
    const payload = JSON.stringify(message ?? null);
    // A subscribe() on this node followed by a publish() from this node is delivered to it (when the
    // subscribing connection is up; waiting for it to come back would turn an outage into a hang).
    await this.#answered();
    if (this.#closed || !isReady(this.#pub)) {
      this.#onError(new Error(`event bus down: dropped a message on '${channel}'`));
      return;
    }
    try {
      await this.#pub.publish(this.#prefix + channel, payload);
    } catch (err) {
      this.#onError(err);
    }
  }

  subscribe(channel: string, handler: EventHandler): () => void {
    let handlers = this.#handlers.get(channel);
    if (!handlers) {
      handlers = new Set();
      this.#handlers.set(channel, handlers);
      // When sub is not ready this fails fast, and #onReady subscribes once the connection is back.
      if (isReady(this.#sub) && this.#upToDate && !this.#closed) {
        this.#track(this.#sub.subscribe(this.#prefix + channel));
      }
    }
    handlers.add(handler);
    return () => {
      handlers.delete(handler);
      if (handlers.size > 0 || this.#handlers.get(channel) !== handlers) return;
      this.#handlers.delete(channel);
      if (isReady(this.#sub) && !this.#closed) this.#track(this.#sub.unsubscribe(this.#prefix + channel));
      // Otherwise the channel is simply not re-subscribed on the next 'ready'.
    };
  }

  /**
   * Resolves once the subscribing connection is up and Redis has answered every SUBSCRIBE/UNSUBSCRIBE
   * issued so far, i.e. messages published from now on reach this node's current subscribers. Waits for
   * as long as Redis is unreachable, so give it a timeout. Not part of EventBus (the in-process bus
   * subscribes synchronously); meant for start-up and tests.
   */
  async subscribed(): Promise<void> {
    // Every 'ready' subscribes to the whole wanted set (#onReady runs first: it was registered first),
    // so "ready and nothing pending" means every current channel is subscribed.
    while (!this.#closed && (!isReady(this.#sub) || !this.#upToDate || this.#pending.size > 0)) {
      if (this.#pending.size > 0) await this.#answered();
      else
        await new Promise<void>((resolve) => {
          const done = (): void => {
            this.#sub.off('ready', done);
            this.#sub.off('end', done);
            resolve();
          };
          this.#sub.on('ready', done);
          this.#sub.on('end', done);
        });
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#handlers.clear();
    this.#sub.off('ready', this.#onReady);
    this.#sub.off('close', this.#onClose);
    this.#sub.off('message', this.#onMessage);
    await closeRedisClient(this.#sub);
    if (this.#ownsPub) await closeRedisClient(this.#pub);
  }

  async #answered(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all(this.#pending);
  }

  #track(command: Promise<unknown>): void {
    const done: Promise<void> = command.then(
      () => {},
      (err: unknown) => {
        // Failed during a drop: the next 'ready' subscribes to the whole wanted set again.
        if (!this.#closed) this.#onError(err);
      },
    );
    this.#pending.add(done);
    void done.finally(() => this.#pending.delete(done));
  }
}
