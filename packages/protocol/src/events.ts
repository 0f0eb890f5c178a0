/**
 * Events carried between server nodes by the EventBus: each channel name with the payload it carries,
 * one typed map. Publishers and subscribers take their types from here, so a channel cannot be misspelt
 * nor a payload misshaped. Features add their channels to this map (battles and presence add theirs).
 */
export interface BusEvents {
  /** The catalog changed (an admin edit, or a start-up sync that changed items). */
  'catalog.changed': Record<string, never>;
  /** A session was revoked (logout): sockets holding that token close, on every node. */
  'session.revoked': { tokenHash: string };
}

export type BusChannel = keyof BusEvents;
