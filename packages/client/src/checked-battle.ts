/**
 * Every battle the client hands on carries the result of re-checking it with the protocol's
 * `verifyBattle`: a resolved battle whose seed does not hash to the published `seedHash`, or whose
 * winner is not the one the outcome function names, reaches the game flagged `verified: false`, never
 * silently trusted. Battles that are not resolved (pending, declined, cancelled, expired) have nothing
 * to verify yet: `verified: null`.
 */
import { type Battle, type BattleVerification, verifyBattle } from '@metagameplay/protocol';

export type VerifyFailure = Extract<BattleVerification, { ok: false }>['reason'];

export type CheckedBattle = Battle & {
  /** True when `verifyBattle` confirms a resolved battle, false when it refutes it, null when not resolved. */
  verified: boolean | null;
  /** Why verification failed (only when `verified` is false). */
  verifyFailure?: VerifyFailure;
};

export function checkBattle(battle: Battle): CheckedBattle {
  if (battle.status !== 'resolved') return { ...battle, verified: null };
  const verification = verifyBattle(battle);
  return verification.ok
    ? { ...battle, verified: true }
    : { ...battle, verified: false, verifyFailure: verification.reason };
}
