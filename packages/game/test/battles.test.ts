/** The rules of the battle screens: incoming challenges, countdowns, the live lobby, stakes, results. */
import type { PublicPlayer } from '@metagameplay/protocol';
import { describe, expect, it } from 'vitest';
import {
  battleView,
  formatClock,
  formatOdds,
  incomingAfterEvent,
  incomingFromHello,
  liveIncoming,
  lobbyAfterPresence,
  parseStake,
  secondsLeft,
  secondsSince,
  signedNumber,
  type VerifiedBattle,
} from '../src/index';

const ME = '00000000-0000-4000-8000-00000000000a';
const HER = '00000000-0000-4000-8000-00000000000b';

function battle(overrides: Partial<VerifiedBattle> & { id: string }): VerifiedBattle {
  return {
    challengerId: HER,
    opponentId: ME,
    stake: 500,
    status: 'pending',
    winnerId: null,
    challengerPower: null,
    opponentPower: null,
    seedHash: 'a'.repeat(64),
    seed: null,
    challengerClientSeed: null,
    opponentClientSeed: null,
    baseStrength: 0,
    ratingChange: null,
    createdAt: '2026-11-30T12:00:00.000Z',
    expiresAt: '2026-11-30T12:01:00.000Z',
    resolvedAt: null,
    verified: null,
    ...overrides,
  };
}

describe('incoming challenges', () => {
  it('takes from hello only pending challenges to me, oldest first', () => {
    const list = incomingFromHello(
      [
        battle({ id: 'b2', createdAt: '2026-11-30T12:00:05.000Z' }),
        battle({ id: 'mine', challengerId: ME, opponentId: HER }),
        battle({ id: 'b1' }),
      ],
      ME,
    );
    expect(list.map((b) => b.id)).toEqual(['b1', 'b2']);
  });

  it('adds a new challenge and drops one resolved, declined or cancelled', () => {
    let list = incomingAfterEvent([], battle({ id: 'b1' }), ME);
    list = incomingAfterEvent(list, battle({ id: 'b2' }), ME);
    expect(list.map((b) => b.id)).toEqual(['b1', 'b2']);
    // The same challenge told twice (hello after a reconnect, then the event) is listed once.
    list = incomingAfterEvent(list, battle({ id: 'b2' }), ME);
    expect(list.map((b) => b.id)).toEqual(['b1', 'b2']);
    list = incomingAfterEvent(list, battle({ id: 'b1', status: 'resolved' }), ME);
    list = incomingAfterEvent(list, battle({ id: 'b2', status: 'expired' }), ME);
    expect(list).toEqual([]);
    // My own challenge to someone else is not an incoming one.
    expect(incomingAfterEvent([], battle({ id: 'x', challengerId: ME, opponentId: HER }), ME)).toEqual([]);
  });

  it('counts the seconds left, rounding up, and hides the ones run out', () => {
    const at = Date.parse('2026-11-30T12:00:00.000Z');
    expect(secondsLeft('2026-11-30T12:01:00.000Z', at)).toBe(60);
    expect(secondsLeft('2026-11-30T12:01:00.000Z', at + 59_001)).toBe(1);
    expect(secondsLeft('2026-11-30T12:01:00.000Z', at + 61_000)).toBe(0);
    expect(secondsLeft('not a date', at)).toBe(0);
    const list = [battle({ id: 'old', expiresAt: '2026-11-30T12:00:10.000Z' }), battle({ id: 'new' })];
    expect(liveIncoming(list, at + 20_000).map((b) => b.id)).toEqual(['new']);
  });
});

describe('lobby', () => {
  const pilot = (id: string): PublicPlayer => ({ id, nickname: id, power: 1, rating: 1000, online: true });

  it('drops a pilot who went offline, asks to reload for one who came, ignores me', () => {
    const players = [pilot(HER)];
    expect(lobbyAfterPresence(players, { playerId: HER, online: false }, ME)).toEqual({
      players: [],
      reload: false,
    });
    expect(lobbyAfterPresence(players, { playerId: 'c', online: true }, ME).reload).toBe(true);
    expect(lobbyAfterPresence(players, { playerId: HER, online: true }, ME).reload).toBe(false);
    expect(lobbyAfterPresence(players, { playerId: ME, online: true }, ME)).toEqual({
      players,
      reload: false,
    });
  });
});

describe('stakes', () => {
  it('reads credits into units; empty is a friendly battle', () => {
    expect(parseStake('')).toEqual({ ok: true, units: 0 });
    expect(parseStake(' 12.5 ')).toEqual({ ok: true, units: 1250 });
    expect(parseStake('-1')).toEqual({ ok: false });
    expect(parseStake('abc')).toEqual({ ok: false });
  });
});

describe('a battle from one side', () => {
  const resolved = battle({
    id: 'r',
    status: 'resolved',
    challengerPower: 3,
    opponentPower: 1,
    winnerId: HER,
    baseStrength: 0,
    ratingChange: 12,
    verified: true,
  });

  it('reads the loser side: odds op/(cp+op), stake lost, rating down', () => {
    expect(battleView(resolved, ME)).toEqual({
      role: 'opponent',
      won: false,
      opponentId: HER,
      myPower: 1,
      theirPower: 3,
      myOdds: 0.25,
      stake: 500,
      ratingDelta: -12,
      creditsDelta: -500,
      verified: true,
    });
  });

  it('shows the odds the battle was fought with: (cp + B) / (cp + op + 2B), never 0 or 1 with B ≥ 1', () => {
    const fought = { ...resolved, challengerPower: 0, opponentPower: 573, baseStrength: 50 };
    expect(battleView(fought, HER).myOdds).toBeCloseTo(50 / 673, 12);
    expect(battleView(fought, ME).myOdds).toBeCloseTo(623 / 673, 12);
    // The same powers under the old rule (B = 0) were certain.
    expect(battleView({ ...fought, baseStrength: 0 }, HER).myOdds).toBe(0);
  });

  it('reads the winner side', () => {
    expect(battleView(resolved, HER)).toMatchObject({
      role: 'challenger',
      won: true,
      myOdds: 0.75,
      ratingDelta: 12,
      creditsDelta: 500,
    });
  });

  it('has no winner, odds or rating change before resolution', () => {
    expect(battleView(battle({ id: 'p' }), ME)).toMatchObject({
      won: null,
      myOdds: null,
      ratingDelta: null,
      creditsDelta: 0,
    });
  });

  it('formats odds, signed numbers and clocks', () => {
    expect(formatOdds(0.25)).toBe('25.0 %');
    expect(signedNumber(16)).toBe('+16');
    expect(signedNumber(-16)).toBe('-16');
    expect(formatClock(65)).toBe('1:05');
    expect(secondsSince('2026-11-30T12:00:00.000Z', Date.parse('2026-11-30T12:00:07.900Z'))).toBe(7);
  });
});
