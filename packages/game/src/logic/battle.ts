/**
 * Battles as the player sees them, for any client: the seconds a pending challenge has left, the list
 * of incoming challenges kept in step with events (challenge in; resolved, declined, cancelled or expired
 * out), and one battle from the viewer's side (won or lost, powers, odds, stakes, rating change).
 */
import { type Battle, challengerWinChance } from '@metagameplay/protocol';
import { secondsLeft } from './battles';

/** Adds a pending challenge addressed to `me` (once), oldest first; anything else leaves the list as is. */
export function withIncoming<T extends Battle>(list: readonly T[], battle: T, me: string): readonly T[] {
  if (battle.status !== 'pending' || battle.opponentId !== me) return list;
  if (list.some((each) => each.id === battle.id)) return list;
  return [...list, battle];
}

/** Removes a battle that left pending (or any id), e.g. on `battle.resolved` / `battle.cancelled`. */
export function withoutBattle<T extends Battle>(list: readonly T[], battleId: string): readonly T[] {
  return list.some((each) => each.id === battleId) ? list.filter((each) => each.id !== battleId) : list;
}

/** Drops challenges whose time ran out (the server's sweep refunds them; the event may come later). */
export function withoutExpired<T extends Battle>(list: readonly T[], nowMs: number): readonly T[] {
  const live = list.filter((each) => secondsLeft(each.expiresAt, nowMs) > 0);
  return live.length === list.length ? list : live;
}

export interface BattleSide {
  /** Whether the viewer challenged or was challenged. */
  role: 'challenger' | 'opponent';
  opponentId: string;
  /** Null while not resolved. */
  won: boolean | null;
  myPower: number | null;
  theirPower: number | null;
  /** The viewer's chance to win from the powers used, null until resolved. */
  myChance: number | null;
  stake: number;
  /** Credits the viewer gained (+stake) or lost (−stake) by the battle; 0 unless resolved. */
  net: number;
  /** Rating points the viewer gained (positive) or lost (negative); null unless resolved. */
  ratingDelta: number | null;
}

export function battleSide(battle: Battle, me: string): BattleSide {
  const role = battle.challengerId === me ? 'challenger' : 'opponent';
  const mine = role === 'challenger' ? battle.challengerPower : battle.opponentPower;
  const theirs = role === 'challenger' ? battle.opponentPower : battle.challengerPower;
  const resolved = battle.status === 'resolved' && battle.winnerId !== null;
  const won = resolved ? battle.winnerId === me : null;
  const chance =
    mine !== null && theirs !== null
      ? role === 'challenger'
        ? challengerWinChance(mine, theirs)
        : 1 - challengerWinChance(theirs, mine)
      : null;
  return {
    role,
    opponentId: role === 'challenger' ? battle.opponentId : battle.challengerId,
    won,
    myPower: mine,
    theirPower: theirs,
    myChance: resolved ? chance : null,
    stake: battle.stake,
    net: won === null ? 0 : won ? battle.stake : -battle.stake,
    ratingDelta:
      won === null || battle.ratingChange === null ? null : won ? battle.ratingChange : -battle.ratingChange,
  };
}

/** "63 %" from a probability. */
export function percent(chance: number): string {
  return `${Math.round(chance * 100)} %`;
}
