/**
 * What every screen may reach: the texts, the server (only through the request gate), the signed-in
 * pilot, the connection state, and navigation. Provided by `app.tsx`.
 */
import type { LiveEvents } from '@metagameplay/client';
import type { PrivatePlayer } from '@metagameplay/protocol';
import { createContext, useContext } from 'react';
import type { GameApi, Messages, ReconnectStatus, RequestGate, VerifiedBattle } from '@metagameplay/game';

export type ScreenName =
  | 'login'
  | 'home'
  | 'shop'
  | 'inventory'
  | 'market'
  | 'history'
  | 'lobby'
  | 'quickmatch'
  | 'battles'
  | 'leaderboard'
  | 'result';

export interface RetryStatus {
  attempt: number;
  maxAttempts: number;
}

export interface Session {
  player: PrivatePlayer;
  /** The bonus the last login earned, in units; shown on the home screen right after the login. */
  loginBonus: number;
  /** Logged in to a pilot that existed (welcome back), rather than registered a new one. */
  returning: boolean;
  /** True until the pilot leaves the home screen for the first time: the bonus line shows until then. */
  justArrived: boolean;
}

export interface GameContextValue {
  t: Messages;
  api: GameApi;
  gate: RequestGate;
  session: Session | null;
  retry: RetryStatus | null;
  /** The gate is trying again by itself (with a countdown to show). */
  reconnect: ReconnectStatus | null;
  offline: boolean;
  /** The server the game talks to, named when it cannot be reached. */
  serverUrl: string;
  /** Screens listen to keys only while this is true (not while the outage dialog is up). */
  inputActive: boolean;
  go(screen: ScreenName): void;
  /** Live events of the current session's WebSocket (LiveEvents of @metagameplay/client). */
  live: LiveEvents;
  /** Challenges waiting for this pilot's answer, oldest first (the prompt shows the first). */
  incoming: VerifiedBattle[];
  /** A pilot's nickname, fetched on first need; a short id until it is known. */
  nameOf: (playerId: string) => string;
  /** Opens the result screen for a battle. */
  showResult: (battle: VerifiedBattle) => void;
  /** The battle the result screen shows. */
  result: VerifiedBattle | null;
  /** The screen the result screen goes back to: the one it opened over (home, lobby, my battles…). */
  resultBack: ScreenName;
  /** A line about the live link (reconnecting, too many windows), or null. */
  liveNotice: string | null;
  beginSession(player: PrivatePlayer, loginBonus: number, returning: boolean): void;
  updatePlayer(patch: Partial<PrivatePlayer>): void;
  /** Back to login, with a line to show there. */
  endSession(info: string): void;
  quit(): void;
}

export const GameContext = createContext<GameContextValue | null>(null);

export function useGame(): GameContextValue {
  const value = useContext(GameContext);
  if (value === null) throw new Error('useGame outside <GameContext>');
  return value;
}
