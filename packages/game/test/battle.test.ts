/** Battle rules as shown to a player: countdown, incoming challenges list, one battle from each side. */
import type { Battle } from '@metagameplay/protocol';
import { describe, expect, it } from 'vitest';
import { battleSide, percent, withIncoming, withoutBattle, withoutExpired } from '../src/logic/battle';
import { secondsLeft } from '../src/logic/battles';

const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';
const NOW = Date.parse('2026-12-01T00:00:00.000Z');

function battle(patch: Partial<Battle> = {}): Battle {
  return {
    id: '00000000-0000-4000-8000-000000000001',
    challengerId: A,
    opponentId: B,
    stake: 500,
    status: 'pending',
    winnerId: null,
    challengerPower: null,
    opponentPower: null,
    seedHash: 'a'.repeat(64),
    seed: null,
    challengerClientSeed: 'c1',
    opponentClientSeed: null,
    ratingChange: null,
    createdAt: '2026-12-01T00:00:00.000Z',
    expiresAt: '2026-12-01T00:01:00.000Z',
    resolvedAt: null,
    ...patch,
  };
}

describe('secondsLeft', () => {
  it('counts whole seconds up, never below zero', () => {
    expect(secondsLeft('2026-12-01T00:01:00.000Z', NOW)).toBe(60);
    expect(secondsLeft('2026-12-01T00:01:00.000Z', NOW + 59_001)).toBe(1);
    expect(secondsLeft('2026-12-01T00:01:00.000Z', NOW + 60_000)).toBe(0);
    expect(secondsLeft('2026-12-01T00:01:00.000Z', NOW + 99_000)).toBe(0);
    expect(secondsLeft('not a date', NOW)).toBe(0);
  });
});

describe('incoming challenges', () => {
  it('adds pending challenges to me once, and removes them by id or when expired', () => {
    const one = battle();
    const two = battle({ id: '00000000-0000-4000-8000-000000000002', expiresAt: '2026-12-01T00:00:10.000Z' });
    let list = withIncoming([], one, B);
    list = withIncoming(list, one, B);
    list = withIncoming(list, two, B);
    expect(list.map((b) => b.id)).toEqual([one.id, two.id]);
    expect(withIncoming([], one, A)).toEqual([]);
    expect(withIncoming([], battle({ status: 'resolved' }), B)).toEqual([]);
    expect(withoutBattle(list, one.id).map((b) => b.id)).toEqual([two.id]);
    expect(withoutExpired(list, NOW + 10_000).map((b) => b.id)).toEqual([one.id]);
  });
});

describe('battleSide', () => {
  it('shows a resolved battle from each side', () => {
    const done = battle({
      status: 'resolved',
      winnerId: A,
      challengerPower: 30,
      opponentPower: 10,
      ratingChange: 12,
    });
    expect(battleSide(done, A)).toMatchObject({
      role: 'challenger',
      won: true,
      myChance: 0.75,
      net: 500,
      ratingDelta: 12,
    });
    expect(battleSide(done, B)).toMatchObject({
      role: 'opponent',
      won: false,
      myChance: 0.25,
      net: -500,
      ratingDelta: -12,
    });
    expect(battleSide(battle(), A)).toMatchObject({ won: null, myChance: null, net: 0, ratingDelta: null });
    expect(percent(0.75)).toBe('75 %');
  });
});
