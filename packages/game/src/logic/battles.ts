/**
 * The rules of the battle screens, as pure functions shared by the console and the browser game: the
 * challenges waiting for the player's answer (kept in step with `hello` and the live battle events),
 * the seconds left on a challenge, the lobby kept in step with `presence`, the stake a player types,
 * and how a resolved battle reads from one side (who won, both powers, the odds, the rating change).
 */
import { type Battle, challengerWinChance, parseCredits, type PublicPlayer } from '@metagameplay/protocol';

/** A battle as the client library hands it on: re-checked with verifyBattle (null: not resolved). */
export type VerifiedBattle = Battle & { verified: boolean | null };

/** Challenges to the player that are still pending, oldest first. */
export function incomingFromHello<T extends VerifiedBattle>(pending: readonly T[], meId: string): T[] {
  return pending
    .filter((b) => b.status === 'pending' && b.opponentId === meId)
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

/** The incoming list after a battle event: a new challenge joins it, any other news of it leaves it. */
export function incomingAfterEvent<T extends VerifiedBattle>(
  incoming: readonly T[],
  battle: T,
  meId: string,
): T[] {
  const others = incoming.filter((b) => b.id !== battle.id);
  if (battle.status === 'pending' && battle.opponentId === meId) return [...others, battle];
  return others;
}

/** Whole seconds until `expiresAt` (rounded up, never below 0); `now` in ms since the epoch. */
export function secondsLeft(expiresAt: string, now: number): number {
  const at = Date.parse(expiresAt);
  if (Number.isNaN(at)) return 0;
  return Math.max(0, Math.ceil((at - now) / 1000));
}

/** Incoming challenges that have not run out at `now`. */
export function liveIncoming<T extends VerifiedBattle>(incoming: readonly T[], now: number): T[] {
  return incoming.filter((b) => secondsLeft(b.expiresAt, now) > 0);
}

export type LobbyChange = { players: PublicPlayer[]; reload: boolean };

/**
 * The lobby after a `presence` event: a pilot who left is removed at once; one who came (a profile the
 * event does not carry) asks for a reload. The player itself is never listed.
 */
export function lobbyAfterPresence(
  players: readonly PublicPlayer[],
  event: { playerId: string; online: boolean },
  meId: string,
): LobbyChange {
  if (event.playerId === meId) return { players: [...players], reload: false };
  if (!event.online) return { players: players.filter((p) => p.id !== event.playerId), reload: false };
  return { players: [...players], reload: !players.some((p) => p.id === event.playerId) };
}

export type StakeInput = { ok: true; units: number } | { ok: false };

/** A typed stake in credits ("", "0", "12.5"): empty means a friendly battle (0). */
export function parseStake(text: string): StakeInput {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: true, units: 0 };
  const units = parseCredits(trimmed);
  return units === null ? { ok: false } : { ok: true, units };
}

export interface BattleView {
  /** Whether the player challenged or was challenged (the side its rounds are dealt from). */
  role: 'challenger' | 'opponent';
  /** True when the player won; null when the battle is not resolved. */
  won: boolean | null;
  opponentId: string;
  myPower: number | null;
  theirPower: number | null;
  /** The player's chance of winning as the outcome function had it, in [0, 1]; null until resolved. */
  myOdds: number | null;
  stake: number;
  /** Rating points the player gained (positive) or lost (negative); null until resolved. */
  ratingDelta: number | null;
  /** Credits won (both stakes: +stake net) or lost (-stake); 0 for a friendly battle or not resolved. */
  creditsDelta: number;
  verified: boolean | null;
}

/** A battle from one player's side. */
export function battleView(battle: VerifiedBattle, meId: string): BattleView {
  const amChallenger = battle.challengerId === meId;
  const opponentId = amChallenger ? battle.opponentId : battle.challengerId;
  const myPower = amChallenger ? battle.challengerPower : battle.opponentPower;
  const theirPower = amChallenger ? battle.opponentPower : battle.challengerPower;
  const resolved = battle.status === 'resolved' && battle.winnerId !== null;
  const won = resolved ? battle.winnerId === meId : null;
  const myOdds =
    resolved && battle.challengerPower !== null && battle.opponentPower !== null
      ? amChallenger
        ? challengerWinChance(battle.challengerPower, battle.opponentPower, battle.baseStrength)
        : 1 - challengerWinChance(battle.challengerPower, battle.opponentPower, battle.baseStrength)
      : null;
  const ratingDelta =
    won === null || battle.ratingChange === null ? null : won ? battle.ratingChange : -battle.ratingChange;
  const creditsDelta = won === null ? 0 : won ? battle.stake : -battle.stake;
  return {
    role: amChallenger ? 'challenger' : 'opponent',
    won,
    opponentId,
    myPower,
    theirPower,
    myOdds,
    stake: battle.stake,
    ratingDelta,
    creditsDelta,
    verified: battle.verified,
  };
}

/** "75.0 %" from a chance in [0, 1]. */
export function formatOdds(chance: number): string {
  return `${(chance * 100).toFixed(1)} %`;
}

/** "+16" / "-16" / "0". */
export function signedNumber(n: number): string {
  return n > 0 ? `+${n}` : String(n);
}

/** Whole seconds elapsed since `since` (ISO) at `now` (ms), never below 0. */
export function secondsSince(since: string, now: number): number {
  const at = Date.parse(since);
  return Number.isNaN(at) ? 0 : Math.max(0, Math.floor((now - at) / 1000));
}

/** "1:05" from seconds. */
export function formatClock(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
