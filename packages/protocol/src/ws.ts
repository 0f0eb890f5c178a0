/**
 * The WebSocket protocol of `/api/v1/ws` (API.md "Battles"): every frame is one JSON object with a `type`,
 * validated against these schemas in both directions. A client authenticates with the `Authorization:
 * Bearer` header of the upgrade or, where it cannot set headers (browsers), with a first `auth` message
 * within 5 s; tokens never go in the URL. The server then sends `hello` with the current state, also after
 * every reconnect, so an event lost in transit is never lost for good.
 */
import { type Static, type TSchema, Type } from 'typebox';
import { ErrorCode } from './errors';
import { Battle } from './schemas/battles';
import { Money, Uuid } from './schemas/common';
import { Listing } from './schemas/market';
import { PrivatePlayer } from './schemas/player';

const message = <T extends string, P extends Record<string, TSchema>>(type: T, fields: P) =>
  Type.Object({ type: Type.Literal(type), ...fields }, { additionalProperties: false });

// ── client → server ─────────────────────────────────────────────────────────────────────────────────

/** First message of a socket opened without an Authorization header. */
export const AuthMessage = message('auth', { token: Type.String({ minLength: 1, maxLength: 200 }) });
/** Application-level liveness check; the server answers `pong`. (WebSocket ping frames work too.) */
export const PingMessage = message('ping', {});

export const ClientMessage = Type.Union([AuthMessage, PingMessage]);
export type ClientMessage = Static<typeof ClientMessage>;

// ── server → client ─────────────────────────────────────────────────────────────────────────────────

/** The current state, sent once authenticated (and so after every reconnect). */
export const HelloMessage = message('hello', {
  player: PrivatePlayer,
  balance: Money,
  /** Every pending battle the player is in, as challenger or as opponent. */
  pendingChallenges: Type.Array(Battle),
});
/** Someone came online (first socket on any node) or went offline (last socket gone, or its node died). */
export const PresenceMessage = message('presence', { playerId: Uuid, online: Type.Boolean() });
/** A new challenge, sent to both of its players. */
export const BattleChallengeMessage = message('battle.challenge', { battle: Battle });
/** A battle resolved (accepted challenge or quick match), sent to both players; `seed` is revealed. */
export const BattleResolvedMessage = message('battle.resolved', { battle: Battle });
/** A challenge declined, cancelled or expired (see `battle.status`), sent to both players. */
export const BattleCancelledMessage = message('battle.cancelled', { battle: Battle });
/** The player's balance changed (any money move: purchase, sale, stake, payout, refund, grant, bonus). */
export const BalanceMessage = message('balance', { balance: Money });
/** One of the player's listings was bought by another pilot (the seller's `balance` follows). */
export const MarketSoldMessage = message('market.sold', { listing: Listing });
export const PongMessage = message('pong', {});
/** A refused message, or the reason just before the server closes the socket. */
export const ErrorMessage = message('error', {
  code: Type.Enum(Object.values(ErrorCode)),
  message: Type.String(),
});

export const ServerMessage = Type.Union([
  HelloMessage,
  PresenceMessage,
  BattleChallengeMessage,
  BattleResolvedMessage,
  BattleCancelledMessage,
  BalanceMessage,
  MarketSoldMessage,
  PongMessage,
  ErrorMessage,
]);
export type ServerMessage = Static<typeof ServerMessage>;
export type ServerMessageType = ServerMessage['type'];
/** The server message of one type, e.g. `ServerMessageOf<'hello'>`. */
export type ServerMessageOf<T extends ServerMessageType> = Extract<ServerMessage, { type: T }>;

/**
 * Close codes the server uses (4000–4999 are the application's). A client reconnects after any other
 * close (1001 server going away, 1006 dropped), but not after SESSION_ENDED or UNAUTHENTICATED with the
 * same token, and only after a while after TOO_MANY_SOCKETS.
 */
export const WsCloseCode = {
  /** No valid token in the header or in an `auth` message within the auth timeout. */
  UNAUTHENTICATED: 4001,
  /** The session was logged out or expired, or its player banned (reason `banned`) or deleted (`deleted`). */
  SESSION_ENDED: 4003,
  /** The player already holds the maximum number of sockets (5). */
  TOO_MANY_SOCKETS: 4008,
  /** The client read too slowly: its send buffer passed the server's bound. */
  SLOW_CONSUMER: 4009,
} as const;
export type WsCloseCode = (typeof WsCloseCode)[keyof typeof WsCloseCode];

/** Close reasons of SESSION_ENDED that tell a client not to log in again at once. */
export const WsCloseReason = {
  /** An admin banned the player. */
  BANNED: 'banned',
  /** An admin deleted the account. */
  DELETED: 'deleted',
} as const;

/** The path of the WebSocket endpoint. */
export const WS_PATH = '/api/v1/ws';
