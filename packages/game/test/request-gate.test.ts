/** The request gate: outages park calls until the player retries; expired sessions are reported. */
import { ApiError, NetworkError } from '@metagameplay/client';
import { describe, expect, it, vi } from 'vitest';
import { RequestGate } from '../src/logic/request-gate';

function gateWithHooks() {
  const hooks = { onOffline: vi.fn(), onSettled: vi.fn(), onSessionExpired: vi.fn() };
  return { gate: new RequestGate(hooks), hooks };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('request gate', () => {
  it('passes values and refusals through', async () => {
    const { gate, hooks } = gateWithHooks();
    expect(await gate.run(() => Promise.resolve(42))).toEqual({ ok: true, value: 42 });
    const refusal = new ApiError(409, 'ALREADY_OWNED', 'owned');
    expect(await gate.run(() => Promise.reject(refusal))).toEqual({
      ok: false,
      error: refusal,
      handled: false,
    });
    expect(hooks.onSettled).toHaveBeenCalledTimes(2);
    expect(hooks.onOffline).not.toHaveBeenCalled();
  });

  it('parks a call during an outage and runs it again on retry', async () => {
    const { gate, hooks } = gateWithHooks();
    let serverUp = false;
    const call = vi.fn(() =>
      serverUp
        ? Promise.resolve('home')
        : Promise.reject(new NetworkError('network', 'refused', { notDelivered: true })),
    );
    const second = vi.fn(() =>
      serverUp ? Promise.resolve(1) : Promise.reject(new ApiError(503, 'SERVICE_UNAVAILABLE', '')),
    );
    const first = gate.run(call);
    const other = gate.run(second);
    await tick();
    expect(hooks.onOffline).toHaveBeenCalledTimes(1);
    expect(gate.offline).toBe(true);
    // A retry while still down parks again and reports the outage again.
    gate.retry();
    await tick();
    expect(hooks.onOffline).toHaveBeenCalledTimes(2);
    serverUp = true;
    gate.retry();
    expect(await first).toEqual({ ok: true, value: 'home' });
    expect(await other).toEqual({ ok: true, value: 1 });
    expect(call).toHaveBeenCalledTimes(3);
    expect(gate.offline).toBe(false);
  });

  it('reports an expired session once and ends the call as handled', async () => {
    const { gate, hooks } = gateWithHooks();
    const outcome = await gate.run(() => Promise.reject(new ApiError(401, 'UNAUTHENTICATED', 'expired')));
    expect(outcome).toMatchObject({ ok: false, handled: true });
    expect(hooks.onSessionExpired).toHaveBeenCalledTimes(1);
  });

  it('retries by itself with growing pauses for its patience, then asks the player', async () => {
    let now = 0;
    const pauses: number[] = [];
    const hooks = {
      onOffline: vi.fn(),
      onSettled: vi.fn(),
      onSessionExpired: vi.fn(),
      onReconnecting: vi.fn(),
    };
    const gate = new RequestGate(hooks, {
      patienceMs: 30_000,
      now: () => now,
      sleep: (ms) => {
        pauses.push(ms);
        now += ms;
        return Promise.resolve();
      },
    });
    const down = () => Promise.reject(new NetworkError('network', 'refused', { notDelivered: true }));
    // A server back after 9 s: the call succeeds without the player being asked.
    let calls = 0;
    const restarting = await gate.run(() => {
      calls += 1;
      return now >= 9_000 ? Promise.resolve('up') : down();
    });
    expect(restarting).toEqual({ ok: true, value: 'up' });
    expect(pauses).toEqual([1_000, 2_000, 4_000, 8_000]);
    expect(calls).toBe(5);
    expect(hooks.onOffline).not.toHaveBeenCalled();
    expect(hooks.onReconnecting).toHaveBeenLastCalledWith({ nextAttemptAt: 15_000, askAt: 30_000 });

    // A server that stays down: pauses until 30 s have passed, then the player is asked.
    pauses.length = 0;
    const start = now;
    const pending = gate.run(down);
    await tick();
    expect(pauses.reduce((a, b) => a + b, 0)).toBe(30_000);
    expect(now - start).toBe(30_000);
    expect(hooks.onOffline).toHaveBeenCalledTimes(1);
    expect(gate.offline).toBe(true);
    gate.retry(); // a new round of patience
    await tick();
    expect(hooks.onOffline).toHaveBeenCalledTimes(2);
    expect(now - start).toBe(60_000);
    void pending;
  });
});
