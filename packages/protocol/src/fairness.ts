/**
 * Provably fair battles: the outcome is a pure function of public inputs, so anyone can re-check a
 * resolved battle with `verifyBattle(battle)`. Synchronous pure JavaScript (@noble/hashes), the same in
 * Node and in browsers.
 *
 * The function, exactly:
 * 1. At challenge time the server draws a random 32-byte `seed` and publishes only
 *    `seedHash = hex(SHA-256(seed bytes))`; the seed itself (`seed`, 64 lower-case hex digits) is revealed
 *    when the battle is resolved. Each side may add a client seed (challenger at challenge, opponent at
 *    accept; 1..64 visible ASCII characters without ':'); a missing one counts as the empty string.
 * 2. `digest = HMAC-SHA256(key = seed bytes, message = UTF-8 of "<battleId>:<challengerClientSeed>:<opponentClientSeed>")`.
 * 3. `n` = the first 52 bits of the digest (big-endian: bytes 0..5 and the high half of byte 6), and
 *    `roll = n / 2^52`, uniform in [0, 1).
 * 4. With the powers at accept time `cp` (challenger) and `op` (opponent) and the battle's base strength
 *    `B` (every pilot's strength besides its items, stored on the battle as `baseStrength`), the
 *    challenger wins iff `roll < (cp + B) / (cp + op + 2B)`, computed exactly in integers as
 *    `n · (cp + op + 2B) < (cp + B) · 2^52`; when `cp + op + 2B` is 0 the chance is one half
 *    (`n < 2^51`). With `B ≥ 1` no battle is certain either way. Battles resolved before the base
 *    strength existed carry `B = 0`: the same formula is then exactly the old rule `cp / (cp + op)`.
 * A server that changed the seed after the challenge would break step 1 (the hash was published first);
 * the client seeds keep it from choosing a seed that favours anyone in advance.
 *
 * `battleRounds` turns the same inputs into a short round-by-round log for clients to animate; it is
 * decoration (HMAC of the same key over "<message>:round:<i>"), always ending with the true winner's blow.
 */
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import type { Battle } from './schemas/battles';

/** What the outcome depends on, and nothing else. */
export interface BattleOutcomeInput {
  /** The server seed: 32 bytes as 64 lower-case hex digits. */
  seed: string;
  battleId: string;
  challengerClientSeed: string | null;
  opponentClientSeed: string | null;
  challengerPower: number;
  opponentPower: number;
  /** The base strength `B` the battle was fought with (0: the rule before it existed). */
  baseStrength?: number;
}

export interface BattleOutcome {
  challengerWins: boolean;
  /** The uniform draw in [0, 1). */
  roll: number;
  /** The challenger's chance of winning, (cp + B) / (cp + op + 2B), or one half when that is 0 / 0. */
  challengerWinChance: number;
}

/** BATTLE_BASE_STRENGTH's default: a pilot of power 0 against the whole catalog (573) keeps about 7 %. */
export const DEFAULT_BATTLE_BASE_STRENGTH = 50;

const SEED_PATTERN = /^[0-9a-f]{64}$/;
const TWO_POW_52 = 2n ** 52n;

function seedBytes(seed: string): Uint8Array {
  if (!SEED_PATTERN.test(seed)) throw new RangeError('seed must be 64 lower-case hex digits');
  return hexToBytes(seed);
}

function checkPower(power: number, name: string): void {
  if (!Number.isSafeInteger(power) || power < 0) throw new RangeError(`${name} must be an integer ≥ 0`);
}

/** SHA-256 of the seed bytes, lower-case hex: the `seedHash` published at challenge time. */
export function seedHashOf(seed: string): string {
  return bytesToHex(sha256(seedBytes(seed)));
}

/** The HMAC message: "<battleId>:<challengerClientSeed>:<opponentClientSeed>", a missing seed as "". */
export function battleMessage(
  battleId: string,
  challengerClientSeed: string | null,
  opponentClientSeed: string | null,
): string {
  return `${battleId}:${challengerClientSeed ?? ''}:${opponentClientSeed ?? ''}`;
}

/** The challenger's chance of winning: (cp + B) / (cp + op + 2B), one half when that is 0 / 0. */
export function challengerWinChance(
  challengerPower: number,
  opponentPower: number,
  baseStrength = 0,
): number {
  const total = challengerPower + opponentPower + 2 * baseStrength;
  return total === 0 ? 0.5 : (challengerPower + baseStrength) / total;
}

/** The first 52 bits of the digest, big-endian. */
function first52Bits(digest: Uint8Array): bigint {
  let n = 0n;
  for (let i = 0; i < 7; i++) n = (n << 8n) | BigInt(digest[i] ?? 0);
  return n >> 4n;
}

/** Steps 2–4 of the header: who wins, from the seed, the battle id, both client seeds and both powers. */
export function battleOutcome(input: BattleOutcomeInput): BattleOutcome {
  checkPower(input.challengerPower, 'challengerPower');
  checkPower(input.opponentPower, 'opponentPower');
  const base = input.baseStrength ?? 0;
  checkPower(base, 'baseStrength');
  const key = seedBytes(input.seed);
  const message = battleMessage(input.battleId, input.challengerClientSeed, input.opponentClientSeed);
  const n = first52Bits(hmac(sha256, key, utf8ToBytes(message)));
  let cp = BigInt(input.challengerPower) + BigInt(base);
  let op = BigInt(input.opponentPower) + BigInt(base);
  if (cp === 0n && op === 0n) cp = op = 1n;
  return {
    challengerWins: n * (cp + op) < cp * TWO_POW_52,
    roll: Number(n) / 2 ** 52,
    challengerWinChance: challengerWinChance(input.challengerPower, input.opponentPower, base),
  };
}

export type BattleVerification =
  | ({ ok: true } & BattleOutcome)
  | { ok: false; reason: 'not_resolved' | 'bad_seed' | 'seed_hash_mismatch' | 'winner_mismatch' };

/**
 * Re-checks a resolved battle from its own fields: the revealed seed hashes to the `seedHash` published
 * at challenge time, and the outcome function names the same winner. Never throws.
 */
export function verifyBattle(battle: Battle): BattleVerification {
  const { seed, challengerPower, opponentPower } = battle;
  if (battle.status !== 'resolved' || seed === null || challengerPower === null || opponentPower === null) {
    return { ok: false, reason: 'not_resolved' };
  }
  if (!SEED_PATTERN.test(seed)) return { ok: false, reason: 'bad_seed' };
  if (seedHashOf(seed) !== battle.seedHash) return { ok: false, reason: 'seed_hash_mismatch' };
  let outcome: BattleOutcome;
  try {
    outcome = battleOutcome({
      seed,
      battleId: battle.id,
      challengerClientSeed: battle.challengerClientSeed,
      opponentClientSeed: battle.opponentClientSeed,
      challengerPower,
      opponentPower,
      // The rule the battle was resolved under (0 for battles older than the base strength).
      baseStrength: battle.baseStrength,
    });
  } catch {
    return { ok: false, reason: 'bad_seed' };
  }
  const expectedWinner = outcome.challengerWins ? battle.challengerId : battle.opponentId;
  if (battle.winnerId !== expectedWinner) return { ok: false, reason: 'winner_mismatch' };
  return { ok: true, ...outcome };
}

export interface BattleRound {
  attacker: 'challenger' | 'opponent';
  damage: number;
  /** Hit points left after the blow (each side starts with 100). */
  challengerHp: number;
  opponentHp: number;
}

const START_HP = 100;
const MAX_ROUNDS = 8;

/**
 * A short deterministic log of blows for animation: each side starts with 100 hit points, a blow's
 * attacker is drawn with the sides' odds and its damage between 10 and 40; the loser's blows never finish
 * the winner, and the winner's last blow (at the latest the 8th round) takes the loser to 0.
 */
export function battleRounds(input: BattleOutcomeInput): BattleRound[] {
  const { challengerWins, challengerWinChance: chance } = battleOutcome(input);
  const key = seedBytes(input.seed);
  const base = battleMessage(input.battleId, input.challengerClientSeed, input.opponentClientSeed);
  const hp = { challenger: START_HP, opponent: START_HP };
  const winner = challengerWins ? 'challenger' : 'opponent';
  const loser = challengerWins ? 'opponent' : 'challenger';
  const rounds: BattleRound[] = [];
  for (let i = 0; hp[loser] > 0; i++) {
    const bytes = hmac(sha256, key, utf8ToBytes(`${base}:round:${i}`));
    const draw = ((bytes[0] ?? 0) * 256 + (bytes[1] ?? 0)) / 65536;
    const last = i === MAX_ROUNDS - 1;
    const attacker = last || draw < chance ? 'challenger' : 'opponent';
    const striker = last ? winner : attacker;
    const target = striker === 'challenger' ? 'opponent' : 'challenger';
    let damage = 10 + ((bytes[2] ?? 0) % 31);
    // The loser never lands the finishing blow; the winner's last round finishes whatever is left.
    if (target === winner) damage = Math.min(damage, hp[winner] - 1);
    else damage = last ? hp[loser] : Math.min(damage, hp[loser]);
    hp[target] -= damage;
    rounds.push({ attacker: striker, damage, challengerHp: hp.challenger, opponentHp: hp.opponent });
  }
  return rounds;
}
