/**
 * Battles, the lobby, quick match and the leaderboard (API.md "Battles"). Money fields are integer minor
 * units; a battle's `seed` stays null until it is resolved (only `seedHash` is shown before), and its
 * powers, winner and rating change are null until then too. `verifyBattle` (fairness.ts) re-checks a
 * resolved battle from these fields alone.
 */
import { type Static, Type } from 'typebox';
import { Cursor, Limit, Money, NextCursor, Timestamp, Uuid } from './common';
import { PublicPlayer } from './player';

/** The states of a battle, written once: the API schema and the database's CHECK take them from here. */
export const BATTLE_STATUSES = ['pending', 'resolved', 'declined', 'cancelled', 'expired'] as const;

export const BattleStatus = Type.Enum(BATTLE_STATUSES);
export type BattleStatus = Static<typeof BattleStatus>;

/**
 * A client seed: 1..64 visible ASCII characters, no space and no ':' (the separator of the outcome's
 * HMAC message, so that two different seed pairs never make the same message).
 */
export const ClientSeed = Type.String({
  minLength: 1,
  maxLength: 64,
  pattern: '^[\\x21-\\x39\\x3B-\\x7E]+$',
  description: "1..64 visible ASCII characters except ':'",
});
export type ClientSeed = Static<typeof ClientSeed>;

/** 32 bytes as 64 lower-case hex digits: the server seed, or a SHA-256 digest (seedHash). */
const hex32 = (description: string) => Type.String({ pattern: '^[0-9a-f]{64}$', description });

const Power = Type.Integer({ minimum: 0 });

export const Battle = Type.Object({
  id: Uuid,
  challengerId: Uuid,
  opponentId: Uuid,
  stake: Money,
  status: BattleStatus,
  winnerId: Type.Union([Uuid, Type.Null()], { description: 'Null unless resolved' }),
  challengerPower: Type.Union([Power, Type.Null()], {
    description: "The challenger's power at accept time; null until resolved",
  }),
  opponentPower: Type.Union([Power, Type.Null()], {
    description: "The opponent's power at accept time; null until resolved",
  }),
  seedHash: hex32('SHA-256 of the 32 seed bytes, lower-case hex; shown from the start'),
  seed: Type.Union([hex32('The 32-byte server seed, lower-case hex'), Type.Null()], {
    description: 'Null until resolved',
  }),
  challengerClientSeed: Type.Union([ClientSeed, Type.Null()]),
  opponentClientSeed: Type.Union([ClientSeed, Type.Null()]),
  baseStrength: Type.Integer({
    minimum: 0,
    description:
      "Every pilot's strength besides its items in this battle (B): the challenger wins with chance " +
      '(cp + B) / (cp + op + 2B). Fixed when the battle is created; 0 for battles older than the rule.',
  }),
  ratingChange: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()], {
    description: 'Rating points moved from the loser to the winner (Elo, K = 32); null unless resolved',
  }),
  createdAt: Timestamp,
  expiresAt: Timestamp,
  resolvedAt: Type.Union([Timestamp, Type.Null()], {
    description: 'When it left pending (resolved, declined, cancelled or expired); null while pending',
  }),
});
export type Battle = Static<typeof Battle>;

export const CreateBattleBody = Type.Object(
  { opponentId: Uuid, stake: Money, clientSeed: Type.Optional(ClientSeed) },
  { additionalProperties: false },
);
export type CreateBattleBody = Static<typeof CreateBattleBody>;

export const AcceptBattleBody = Type.Object(
  { clientSeed: Type.Optional(ClientSeed) },
  { additionalProperties: false },
);
export type AcceptBattleBody = Static<typeof AcceptBattleBody>;

export const BattleResponse = Type.Object({ battle: Battle });
export type BattleResponse = Static<typeof BattleResponse>;

export const BattlePage = Type.Object({ battles: Type.Array(Battle), nextCursor: NextCursor });
export type BattlePage = Static<typeof BattlePage>;

export const LobbyPage = Type.Object({ players: Type.Array(PublicPlayer), nextCursor: NextCursor });
export type LobbyPage = Static<typeof LobbyPage>;

export const LeaderboardEntry = Type.Object({
  rank: Type.Integer({ minimum: 1 }),
  id: Uuid,
  nickname: Type.String(),
  rating: Type.Integer(),
  power: Power,
  wins: Type.Integer({ minimum: 0 }),
  losses: Type.Integer({ minimum: 0 }),
});
export type LeaderboardEntry = Static<typeof LeaderboardEntry>;

export const LeaderboardPage = Type.Object({
  players: Type.Array(LeaderboardEntry),
  nextCursor: NextCursor,
});
export type LeaderboardPage = Static<typeof LeaderboardPage>;

export const LeaderboardQuery = Type.Object(
  { limit: Type.Optional(Limit), cursor: Type.Optional(Cursor) },
  { additionalProperties: false },
);
export type LeaderboardQuery = Static<typeof LeaderboardQuery>;

export const MatchmakingBody = Type.Object({ stake: Money }, { additionalProperties: false });
export type MatchmakingBody = Static<typeof MatchmakingBody>;

/** 202 answer of POST /matchmaking: the player waits in the queue for `stake` since `queuedAt`. */
export const MatchmakingQueued = Type.Object({ queuedAt: Timestamp, stake: Money });
export type MatchmakingQueued = Static<typeof MatchmakingQueued>;
