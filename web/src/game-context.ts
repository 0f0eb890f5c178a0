/**
 * What every screen of the browser game may reach: the texts, the server (only through the request
 * gate), the signed-in pilot, navigation and notices. Provided by `app.tsx`.
 */
import type { ApiClient, LiveEvents } from '@metagameplay/client';
import type { GameApi, Lang, Messages, RequestGate, WebMessages } from '@metagameplay/game';
import type { PrivatePlayer } from '@metagameplay/protocol';
import { createContext, useContext } from 'react';
import type { Route } from './router';

export interface Session {
  player: PrivatePlayer;
  /** The bonus the last login earned, in units; shown on the home screen. */
  loginBonus: number;
}

export interface Notice {
  text: string;
  tone: 'good' | 'bad' | 'info';
  /** A button in the notice that opens a screen (e.g. a battle's result). */
  action?: { label: string; route: Route };
}

/** The battle calls of the client (@metagameplay/client) the browser game uses. */
export type BattleApi = Pick<
  ApiClient,
  | 'challenge'
  | 'accept'
  | 'decline'
  | 'cancel'
  | 'getBattle'
  | 'listBattles'
  | 'lobby'
  | 'leaderboard'
  | 'joinMatchmaking'
  | 'leaveMatchmaking'
  | 'player'
>;

export interface GameContextValue {
  t: Messages;
  w: WebMessages;
  lang: Lang;
  api: GameApi;
  battles: BattleApi;
  /** Live events of the signed-in pilot's connection (presence, challenges, balance); none when signed out. */
  live: LiveEvents;
  gate: RequestGate;
  session: Session | null;
  route: Route;
  navigate: (route: Route) => void;
  updatePlayer: (patch: Partial<PrivatePlayer>) => void;
  notify: (notice: Notice) => void;
}

export const GameContext = createContext<GameContextValue | null>(null);

export function useGame(): GameContextValue {
  const value = useContext(GameContext);
  if (value === null) throw new Error('useGame outside <GameContext>');
  return value;
}

/** The screens that need a signed-in pilot use this: the session is there whenever they render. */
export function useSession(): Session {
  const { session } = useGame();
  if (session === null) throw new Error('useSession without a session');
  return session;
}
