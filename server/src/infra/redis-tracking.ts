/**
 * LocalCopies: values read from Redis, kept in process memory and dropped the moment Redis says their key
 * changed, using Redis server-assisted client-side caching (CLIENT TRACKING, Redis >= 6).
 *
 * The data connection runs `CLIENT TRACKING ON REDIRECT <id>`: Redis then remembers every key that
 * connection reads and, when any client modifies, deletes, expires or evicts one of them (or flushes the
 * database), sends the key's name to the connection <id>, which is subscribed to `__redis__:invalidate`.
 * Copies are used only while both connections are up and tracking is on; the loss of either connection
 * drops every copy before the next read (a key changed while we were not listening would never be
 * reported), and tracking is set up again on the new connection(s) before copies are kept again.
 *
 * The read fence: why a copy is never stale. An invalidation travels on a different connection (and so a
 * different socket, read by a different event-loop callback) than the reply to the write that caused it,
 * so hearing it "soon" is not enough: a client that got the writer's answer on node A and asks node B
 * next can reach B before B has read the invalidation from its socket (seen in the multi-node test, and
 * with a slow link it is certain). So a copy is used only after a fence: a PING sent on the invalidation
 * connection after the read began, and answered.
 *  1. A write W acknowledged to anyone before the read R began was executed by Redis before R began
 *     (Redis answers after executing), and while executing W (before it runs any other command) Redis
 *     queued the invalidation of every key W changed on the invalidation connection of each node that
 *     has the key tracked — that is, of each node that read it since its last invalidation.
 *  2. The PING is written after R began, so Redis executes it after W, and queues the PONG on that same
 *     connection behind W's invalidation. Redis writes a connection's replies in order, TCP delivers them
 *     in order, and ioredis parses them in order, emitting each invalidation synchronously before it
 *     resolves the PING that follows it.
 *  3. So when the PONG is seen, the copy W invalidated is gone (or the read that would have made it was
 *     marked spoiled while in flight and was not kept), and R reads Redis instead. A copy still there was
 *     read by a GET that Redis executed at some time g, with no write to its key between g and the PING:
 *     its value is the key's value when the PING ran, which is after R began.
 * Reads share fences: every read that asks in the same turn of the event loop waits for one PING, sent in
 * that turn's check phase (setImmediate), or when the PING before it comes back if one is out (at most one
 * is out at a time), so under load a PING covers many reads. A fence is cheaper
 * than the read it replaces (a PING on an idle connection, against a Lua script per key), but it is a
 * round trip: it saves Redis and Node work, not latency.
 * A fence fails (and the read goes to Redis) when the invalidation connection is not up or tracking is
 * off, when the connection was lost while the PING was out (its invalidations may be lost), or when the
 * PING is not answered in time: then the connection is presumed dead, every copy is dropped, the
 * connection is reset, and no copy is used until tracking is set up again on the new one.
 *
 * Races: a read whose key is reported changed while the read is in flight is not kept (it may hold the
 * old value), and a clear() (connection loss, flush, generation change) discards every read in flight.
 * A copy expires no later than its key does in Redis: its time to live counts from when its read was
 * sent, not answered.
 */
import { isReady, type Redis } from './redis.js';

export const INVALIDATION_CHANNEL = '__redis__:invalidate';

interface Copy {
  value: string | null;
  expiresAt: number;
}

/** One read in flight; `spoiled` when its key was reported changed (or everything was dropped) meanwhile. */
export interface PendingRead {
  key: string;
  spoiled: boolean;
  /** When the read was sent: the key's time to live counts from here (never past Redis's own expiry). */
  sentAt: number;
}

/** Reads waiting for the next fence (one PING). */
interface FenceBatch {
  promise: Promise<boolean>;
  resolve: (ok: boolean) => void;
}

export interface LocalCopiesOptions {
  /** The connection the copied values are read on (tracking is turned on for it). */
  data: Redis;
  /** A connection of its own, subscribed to the invalidation channel; closed with close(). */
  invalidations: Redis;
  /** Maps a Redis key name reported changed to the local key it was read for; null → drop everything. */
  localKeyOf: (redisKey: string) => string | null | undefined;
  /** Bound on the copies kept (oldest dropped first). */
  maxEntries?: number;
  /** Upper bound on a copy's life even without an invalidation (a safety net, not a correctness need). */
  maxAgeMs?: number;
  onError?: (err: unknown) => void;
  now?: () => number;
}

export class LocalCopies {
  readonly #data: Redis;
  readonly #invalidations: Redis;
  readonly #localKeyOf: (redisKey: string) => string | null | undefined;
  readonly #maxEntries: number;
  readonly #maxAgeMs: number;
  readonly #onError: (err: unknown) => void;
  readonly #now: () => number;
  readonly #copies = new Map<string, Copy>();
  readonly #pending = new Map<string, Set<PendingRead>>();
  /** Client id of the subscribed invalidation connection, null while it is not subscribed. */
  #redirectId: string | null = null;
  #tracking = false;
  /** Incremented on every connection loss: a set-up that spans one must not switch copies on. */
  #losses = 0;
  #settingUp = false;
  #closed = false;
  /** The fence that reads asking now will wait for; its PING is not sent yet. */
  #nextFence: FenceBatch | null = null;
  /** A fence's PING is out: the next one is sent when it comes back, not before. */
  #fenceOut = false;
  readonly #onReady = (): void => void this.#setUp();
  readonly #onDataClose = (): void => this.#lost();
  readonly #onInvalidationsClose = (): void => {
    this.#redirectId = null;
    this.#lost();
  };
  readonly #onMessage = (channel: Buffer | string, message: unknown): void =>
    this.#invalidated(String(channel), message);

  constructor(options: LocalCopiesOptions) {
    this.#data = options.data;
    this.#invalidations = options.invalidations;
    this.#localKeyOf = options.localKeyOf;
    this.#maxEntries = options.maxEntries ?? 50_000;
    this.#maxAgeMs = options.maxAgeMs ?? 60_000;
    this.#onError = options.onError ?? (() => {});
    this.#now = options.now ?? Date.now;
    this.#data.on('ready', this.#onReady);
    this.#data.on('close', this.#onDataClose);
    this.#invalidations.on('ready', this.#onReady);
    this.#invalidations.on('close', this.#onInvalidationsClose);
    this.#invalidations.on('messageBuffer', this.#onMessage);
    void this.#setUp();
  }

  /** True when copies are kept and served: both connections up, tracking on. */
  get active(): boolean {
    return this.#tracking && !this.#closed && isReady(this.#data) && isReady(this.#invalidations);
  }

  /** The copy of `key`, or undefined when there is none (a copied miss is `{ value: null }`). */
  lookup(key: string): { value: string | null } | undefined {
    if (!this.active) return undefined;
    const copy = this.#copies.get(key);
    if (!copy) return undefined;
    if (copy.expiresAt <= this.#now()) {
      this.#copies.delete(key);
      return undefined;
    }
    return copy;
  }

  /** True when there is a copy of `key` that lookup() could return after a fence. */
  holds(key: string): boolean {
    return this.active && this.#copies.has(key);
  }

  /**
   * Resolves true once every invalidation Redis queued for us before it executed a PING sent after this
   * call has been applied (see the ordering argument at the top): lookup() then reflects every write
   * acknowledged, to anyone, before this call. False when that cannot be known; the caller then reads
   * Redis and must not use any copy.
   */
  fence(): Promise<boolean> {
    if (!this.active) return Promise.resolve(false);
    if (this.#nextFence) return this.#nextFence.promise;
    let resolve: (ok: boolean) => void = () => {};
    const promise = new Promise<boolean>((r) => {
      resolve = r;
    });
    const batch: FenceBatch = { promise, resolve };
    this.#nextFence = batch;
    // Sent after everything this turn of the event loop does, so it covers every read asked for in it;
    // while another PING is out, when that one comes back, so under load one PING covers every read
    // asked for during a whole round trip (it is still sent after each of them began).
    if (!this.#fenceOut) setImmediate(() => this.#sendFence(batch));
    return promise;
  }

  /** Call before sending a read whose answer may be kept; null when copies are off. */
  begin(key: string): PendingRead | null {
    if (!this.active) return null;
    const read: PendingRead = { key, spoiled: false, sentAt: this.#now() };
    let set = this.#pending.get(key);
    if (!set) {
      set = new Set();
      this.#pending.set(key, set);
    }
    set.add(read);
    return read;
  }

  /**
   * Call when the read is answered (or failed: `value` undefined). Keeps the answer unless the key was
   * reported changed meanwhile. `ttlMs` is the key's remaining time to live (negative: none or missing).
   */
  end(read: PendingRead | null, value?: string | null, ttlMs = -1): void {
    if (!read) return;
    const set = this.#pending.get(read.key);
    set?.delete(read);
    if (set?.size === 0) this.#pending.delete(read.key);
    if (read.spoiled || value === undefined || !this.active) return;
    const expiresAt = read.sentAt + (ttlMs > 0 ? Math.min(ttlMs, this.#maxAgeMs) : this.#maxAgeMs);
    this.#copies.delete(read.key);
    this.#copies.set(read.key, { value, expiresAt });
    if (this.#copies.size > this.#maxEntries) {
      const oldest = this.#copies.keys().next();
      if (!oldest.done) this.#copies.delete(oldest.value);
    }
  }

  /** Drops the copy of `key` and spoils reads of it in flight (our own writes call this). */
  invalidate(key: string): void {
    this.#copies.delete(key);
    const set = this.#pending.get(key);
    if (set) for (const read of set) read.spoiled = true;
  }

  /** Drops every copy and spoils every read in flight. */
  clear(): void {
    this.#copies.clear();
    for (const set of this.#pending.values()) for (const read of set) read.spoiled = true;
  }

  get size(): number {
    return this.#copies.size;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.clear();
    this.#nextFence?.resolve(false);
    this.#nextFence = null;
    this.#data.off('ready', this.#onReady);
    this.#data.off('close', this.#onDataClose);
    this.#invalidations.off('ready', this.#onReady);
    this.#invalidations.off('close', this.#onInvalidationsClose);
    this.#invalidations.off('messageBuffer', this.#onMessage);
    // The data connection stays open for its owner; closing the invalidation one breaks the redirect,
    // so turn tracking off first (best effort: Redis also stops once it sees the redirect gone).
    if (isReady(this.#data)) await this.#data.call('CLIENT', 'TRACKING', 'OFF').catch(() => undefined);
    this.#invalidations.disconnect(false);
  }

  #lost(): void {
    this.#losses += 1;
    this.#tracking = false;
    this.clear();
  }

  #sendFence(batch: FenceBatch): void {
    if (this.#nextFence === batch) this.#nextFence = null;
    if (!this.active) {
      batch.resolve(false);
      return;
    }
    // A loss while the PING is out may have cost invalidations queued before it: the fence then fails.
    const losses = this.#losses;
    this.#fenceOut = true;
    const sendNext = () => {
      this.#fenceOut = false;
      const next = this.#nextFence;
      if (next) this.#sendFence(next);
    };
    this.#invalidations.ping().then(
      () => {
        batch.resolve(losses === this.#losses && this.active);
        sendNext();
      },
      (err: unknown) => {
        batch.resolve(false);
        if (losses === this.#losses && !this.#closed && isReady(this.#invalidations)) {
          // Up but not answering (a command timeout): invalidations may be stuck behind the PING, so no
          // copy can be trusted. Drop them all and reconnect; copies come back once tracking is set up again.
          this.#onError(err);
          this.#redirectId = null;
          this.#lost();
          this.#invalidations.disconnect(true);
        }
        // The reads waiting meanwhile get their own fence (which fails at once while copies are off).
        sendNext();
      },
    );
  }

  /** Subscribes the invalidation connection (if needed) and turns tracking on for the data connection. */
  async #setUp(): Promise<void> {
    if (this.#settingUp || this.#closed || this.#tracking) return;
    if (!isReady(this.#data) || !isReady(this.#invalidations)) return;
    this.#settingUp = true;
    const losses = this.#losses;
    try {
      let id = this.#redirectId;
      if (id === null) {
        id = String(await this.#invalidations.call('CLIENT', 'ID'));
        await this.#invalidations.subscribe(INVALIDATION_CHANNEL);
        if (losses === this.#losses) this.#redirectId = id;
      }
      if (losses === this.#losses) await this.#data.call('CLIENT', 'TRACKING', 'ON', 'REDIRECT', id);
      if (losses === this.#losses && !this.#closed) {
        this.clear();
        this.#tracking = true;
      }
    } catch (err) {
      // Redis < 6 or the command renamed: the cache keeps working without local copies.
      if (isReady(this.#data) && isReady(this.#invalidations)) this.#onError(err);
    } finally {
      this.#settingUp = false;
    }
    // A connection came back (or dropped) while we were setting up: try again with what is there now.
    if (losses !== this.#losses) void this.#setUp();
  }

  #invalidated(channel: string, message: unknown): void {
    if (channel !== INVALIDATION_CHANNEL) return;
    // null: the database was flushed; otherwise the names of the keys that changed.
    if (!Array.isArray(message)) {
      this.clear();
      return;
    }
    for (const name of message as unknown[]) {
      const local = this.#localKeyOf(String(name));
      if (local === null) {
        this.clear();
        return;
      }
      if (local !== undefined) this.invalidate(local);
    }
  }
}
