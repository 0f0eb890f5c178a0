/** What the embedded database offers and how it refuses (db/embedded/index.ts starts it). */

export const EMBEDDED_USER = 'metagameplay-db';

export interface EmbeddedPostgresOptions {
  /** Database to create on the cluster (and to put in `url`); `postgres` creates none. */
  database?: string;
  /** Extra `-c name=value` settings (the tests trade durability for speed). */
  settings?: Record<string, string>;
  /** initdb without fsync (tests only). */
  fastInit?: boolean;
  /** One line per noteworthy event (an orphan stopped, a first start). */
  onNotice?: (message: string) => void;
}

export interface EmbeddedPostgres {
  /** A node-postgres connection string for the database, with the generated password. */
  readonly url: string;
  readonly pid: number;
  stop(): Promise<void>;
}

/** A refusal to start that is the user's to fix (the message is the whole story, one line). */
export class EmbeddedPostgresError extends Error {
  override name = 'EmbeddedPostgresError';
}
