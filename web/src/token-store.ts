/**
 * Where the session token lives in the browser: in memory (the ApiClient's `token`) and in
 * `sessionStorage`, so a reload of the tab keeps the pilot signed in while a closed tab forgets it.
 * Never `localStorage` (shared by every tab and kept for ever) and never the URL (history, logs, Referer).
 */
const KEY = 'metagameplay.token';

export interface TokenStore {
  load(): string | null;
  save(token: string): void;
  clear(): void;
}

/** The store over a Storage (window.sessionStorage); a storage that refuses (privacy mode) is ignored. */
export function sessionTokenStore(storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>): TokenStore {
  return {
    load() {
      try {
        return storage.getItem(KEY);
      } catch {
        return null;
      }
    },
    save(token) {
      try {
        storage.setItem(KEY, token);
      } catch {
        // The token still lives in memory for this page.
      }
    },
    clear() {
      try {
        storage.removeItem(KEY);
      } catch {
        // Nothing was stored.
      }
    },
  };
}
