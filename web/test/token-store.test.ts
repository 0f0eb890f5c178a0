/** The token lives in sessionStorage (not localStorage), and a refusing storage does not break the game. */
import { describe, expect, it } from 'vitest';
import { sessionTokenStore } from '../src/token-store';

function memoryStorage() {
  const map = new Map<string, string>();
  return {
    map,
    getItem: (key: string) => map.get(key) ?? null,
    setItem: (key: string, value: string) => void map.set(key, value),
    removeItem: (key: string) => void map.delete(key),
  };
}

describe('sessionTokenStore', () => {
  it('saves, loads and clears the token', () => {
    const storage = memoryStorage();
    const store = sessionTokenStore(storage);
    expect(store.load()).toBeNull();
    store.save('t1');
    expect(store.load()).toBe('t1');
    store.clear();
    expect(store.load()).toBeNull();
    expect(storage.map.size).toBe(0);
  });

  it('survives a storage that throws', () => {
    const refusing = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('denied');
      },
      removeItem: () => {
        throw new Error('denied');
      },
    };
    const store = sessionTokenStore(refusing);
    expect(() => store.save('t')).not.toThrow();
    expect(store.load()).toBeNull();
    expect(() => store.clear()).not.toThrow();
  });
});
