/** The games' live subscriptions: they outlive the connection they were made under. */
import { describe, expect, it } from 'vitest';
import { type Listener, LiveEvents, type LiveSource, type RealtimeEventMap } from '../src/index';

/** A connection whose events the test emits; it records whether it was closed. */
function fakeConnection() {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const connection = {
    closed: false,
    on: (event: string, listener: (payload: unknown) => void) => {
      const set = listeners.get(event) ?? new Set();
      set.add(listener);
      listeners.set(event, set);
      return () => set.delete(listener);
    },
    close() {
      connection.closed = true;
    },
    emit: (event: keyof RealtimeEventMap, payload: unknown) => {
      for (const listener of listeners.get(event) ?? []) listener(payload);
    },
    listening: () => [...listeners.values()].reduce((sum, set) => sum + set.size, 0),
  };
  return connection;
}

describe('LiveEvents', () => {
  it('hands on the events of the current connection only, and closes the one it replaces', () => {
    const live = new LiveEvents();
    const balances: number[] = [];
    live.on('balance', ({ balance }) => balances.push(balance));
    const first = fakeConnection();
    live.attach(first as unknown as LiveSource);
    first.emit('balance', { balance: 1 });
    const second = fakeConnection();
    live.attach(second as unknown as LiveSource);
    expect(first.closed).toBe(true);
    expect(first.listening()).toBe(0);
    first.emit('balance', { balance: 2 });
    second.emit('balance', { balance: 3 });
    expect(balances).toEqual([1, 3]);
    live.detach();
    expect(second.closed).toBe(true);
    second.emit('balance', { balance: 4 });
    expect(balances).toEqual([1, 3]);
  });

  it('stops calling an unsubscribed listener; one that throws does not stop the others', () => {
    const live = new LiveEvents();
    const connection = fakeConnection();
    live.attach(connection as unknown as LiveSource);
    const seen: string[] = [];
    const failing: Listener<RealtimeEventMap, 'presence'> = () => {
      throw new Error('screen bug');
    };
    live.on('presence', failing);
    const off = live.on('presence', ({ playerId }) => seen.push(playerId));
    connection.emit('presence', { playerId: 'a', online: true });
    off();
    connection.emit('presence', { playerId: 'b', online: true });
    expect(seen).toEqual(['a']);
  });
});
