/**
 * The provably fair outcome: pinned by a known answer, cross-checked against an independent node:crypto
 * implementation of the documented function, fair over 20,000 resolutions, and verifyBattle refuses any
 * tampered battle.
 */
import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  type Battle,
  battleOutcome,
  battleRounds,
  challengerWinChance,
  seedHashOf,
  verifyBattle,
} from '../src/index';

const CHALLENGER = '11111111-1111-4111-8111-111111111111';
const OPPONENT = '22222222-2222-4222-8222-222222222222';

/** A deterministic 32-byte seed per index, so the statistical test can never be flaky. */
const seedOf = (i: number): string => createHash('sha256').update(`fairness-test-${i}`).digest('hex');
const battleIdOf = (i: number): string => `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;

/** The function as API.md documents it, written independently with node:crypto and floating point. */
function referenceChallengerWins(
  seed: string,
  battleId: string,
  cs: string | null,
  os: string | null,
  cp: number,
  op: number,
): boolean {
  const digest = createHmac('sha256', Buffer.from(seed, 'hex'))
    .update(`${battleId}:${cs ?? ''}:${os ?? ''}`, 'utf8')
    .digest('hex');
  const roll = Number.parseInt(digest.slice(0, 13), 16) / 2 ** 52; // 13 hex digits = 52 bits
  const chance = cp + op === 0 ? 0.5 : cp / (cp + op);
  return roll < chance;
}

function resolvedBattle(i: number, cp: number, op: number, cs: string | null, os: string | null): Battle {
  const seed = seedOf(i);
  const id = battleIdOf(i);
  const challengerWins = referenceChallengerWins(seed, id, cs, os, cp, op);
  return {
    id,
    challengerId: CHALLENGER,
    opponentId: OPPONENT,
    stake: 500,
    status: 'resolved',
    winnerId: challengerWins ? CHALLENGER : OPPONENT,
    challengerPower: cp,
    opponentPower: op,
    seedHash: createHash('sha256').update(Buffer.from(seed, 'hex')).digest('hex'),
    seed,
    challengerClientSeed: cs,
    opponentClientSeed: os,
    baseStrength: 0,
    ratingChange: 16,
    createdAt: '2026-11-30T00:00:00.000Z',
    expiresAt: '2026-11-30T00:01:00.000Z',
    resolvedAt: '2026-11-30T00:00:10.000Z',
  };
}

describe('battle outcome', () => {
  it('matches a known answer (the function must never change silently)', () => {
    const seed = '00'.repeat(32);
    const id = battleIdOf(1);
    const digest = createHmac('sha256', Buffer.alloc(32)).update(`${id}:a:b`).digest('hex');
    const outcome = battleOutcome({
      seed,
      battleId: id,
      challengerClientSeed: 'a',
      opponentClientSeed: 'b',
      challengerPower: 1,
      opponentPower: 1,
    });
    expect(outcome.roll).toBe(Number.parseInt(digest.slice(0, 13), 16) / 2 ** 52);
    expect(outcome.challengerWinChance).toBe(0.5);
    expect(seedHashOf(seed)).toBe('66687aadf862bd776c8fc18b8e9f8e20089714856ee233b3902a591d0d5f2925');
  });

  it('treats a missing client seed as the empty string', () => {
    const input = { seed: seedOf(7), battleId: battleIdOf(7), challengerPower: 3, opponentPower: 5 };
    const a = battleOutcome({ ...input, challengerClientSeed: null, opponentClientSeed: null });
    const b = battleOutcome({ ...input, challengerClientSeed: '', opponentClientSeed: '' });
    expect(a).toEqual(b);
  });

  it('gives one half when both powers are 0, and certainty when one side has none', () => {
    expect(challengerWinChance(0, 0)).toBe(0.5);
    let wins = 0;
    for (let i = 0; i < 2000; i++) {
      const input = {
        seed: seedOf(i),
        battleId: battleIdOf(i),
        challengerClientSeed: null,
        opponentClientSeed: null,
      };
      if (battleOutcome({ ...input, challengerPower: 0, opponentPower: 0 }).challengerWins) wins++;
      expect(battleOutcome({ ...input, challengerPower: 0, opponentPower: 9 }).challengerWins).toBe(false);
      expect(battleOutcome({ ...input, challengerPower: 9, opponentPower: 0 }).challengerWins).toBe(true);
    }
    // 2000 fair coins: |wins − 1000| < 4 standard deviations (≈ 89).
    expect(Math.abs(wins - 1000)).toBeLessThan(90);
  });

  it('is fair: 20,000 resolutions at powers 1 vs 3 win 25 % within a chi-square bound, each one verified', () => {
    const n = 20_000;
    let wins = 0;
    for (let i = 0; i < n; i++) {
      const battle = resolvedBattle(i, 1, 3, `c${i}`, i % 3 === 0 ? null : `o${i}`);
      const verdict = verifyBattle(battle);
      expect(verdict.ok).toBe(true);
      if (battle.winnerId === CHALLENGER) wins++;
    }
    const expectedWins = n * 0.25;
    const expectedLosses = n * 0.75;
    const chiSquare =
      (wins - expectedWins) ** 2 / expectedWins + (n - wins - expectedLosses) ** 2 / expectedLosses;
    // 1 degree of freedom: P(χ² > 10.83) = 0.001. The seeds are fixed, so this is deterministic.
    expect(chiSquare).toBeLessThan(10.83);
  });

  it('refuses bad inputs instead of guessing', () => {
    const input = { battleId: battleIdOf(1), challengerClientSeed: null, opponentClientSeed: null };
    expect(() =>
      battleOutcome({ ...input, seed: 'AB'.repeat(32), challengerPower: 1, opponentPower: 1 }),
    ).toThrow(RangeError);
    expect(() => battleOutcome({ ...input, seed: seedOf(1), challengerPower: -1, opponentPower: 1 })).toThrow(
      RangeError,
    );
    expect(() =>
      battleOutcome({ ...input, seed: seedOf(1), challengerPower: 1.5, opponentPower: 1 }),
    ).toThrow(RangeError);
  });
});

describe('verifyBattle', () => {
  const battle = resolvedBattle(42, 10, 30, 'alpha', 'beta');

  it('accepts an honest battle', () => {
    expect(verifyBattle(battle)).toMatchObject({ ok: true, challengerWinChance: 0.25 });
  });

  it('fails a tampered seed (its hash no longer matches the published one)', () => {
    expect(verifyBattle({ ...battle, seed: seedOf(43) })).toEqual({
      ok: false,
      reason: 'seed_hash_mismatch',
    });
    expect(verifyBattle({ ...battle, seed: 'not hex' })).toEqual({ ok: false, reason: 'bad_seed' });
  });

  it('fails a tampered winner', () => {
    const other = battle.winnerId === CHALLENGER ? OPPONENT : CHALLENGER;
    expect(verifyBattle({ ...battle, winnerId: other })).toEqual({ ok: false, reason: 'winner_mismatch' });
    expect(verifyBattle({ ...battle, winnerId: null })).toEqual({ ok: false, reason: 'winner_mismatch' });
  });

  it('fails tampered powers or client seeds whenever they change the outcome', () => {
    let caught = 0;
    for (let i = 0; i < 200; i++) {
      const honest = resolvedBattle(i, 5, 5, 'x', 'y');
      const flipped = referenceChallengerWins(honest.seed ?? '', honest.id, 'x', 'z', 5, 5);
      const tampered = { ...honest, opponentClientSeed: 'z' };
      expect(verifyBattle(tampered).ok).toBe(flipped === (honest.winnerId === CHALLENGER));
      if (!verifyBattle(tampered).ok) caught++;
      // Claiming the challenger had no power cannot leave the challenger the winner.
      if (honest.winnerId === CHALLENGER)
        expect(verifyBattle({ ...honest, challengerPower: 0 }).ok).toBe(false);
    }
    expect(caught).toBeGreaterThan(50);
  });

  it('does not verify a battle that is not resolved', () => {
    expect(verifyBattle({ ...battle, status: 'pending', seed: null })).toEqual({
      ok: false,
      reason: 'not_resolved',
    });
    expect(verifyBattle({ ...battle, challengerPower: null })).toEqual({ ok: false, reason: 'not_resolved' });
  });
});

describe('battleRounds', () => {
  it('is deterministic and ends with the true winner taking the loser to 0', () => {
    for (let i = 0; i < 500; i++) {
      const input = {
        seed: seedOf(i),
        battleId: battleIdOf(i),
        challengerClientSeed: 'c',
        opponentClientSeed: null,
        challengerPower: i % 4,
        opponentPower: (i * 7) % 5,
      };
      const rounds = battleRounds(input);
      expect(battleRounds(input)).toEqual(rounds);
      const { challengerWins } = battleOutcome(input);
      const last = rounds.at(-1);
      expect(rounds.length).toBeGreaterThan(0);
      expect(rounds.length).toBeLessThanOrEqual(8);
      expect(last?.attacker).toBe(challengerWins ? 'challenger' : 'opponent');
      expect(challengerWins ? last?.opponentHp : last?.challengerHp).toBe(0);
      expect(challengerWins ? last?.challengerHp : last?.opponentHp).toBeGreaterThan(0);
      for (const round of rounds) expect(round.damage).toBeGreaterThanOrEqual(0);
    }
  });
});
