/**
 * The root of the console game: which screen is up, the signed-in pilot, and the connection state
 * (the client's retry notices and the "cannot reach the galaxy" choice). Screens reach all of it
 * through `GameContext`; the outage dialog takes the keyboard while it is shown.
 */
import type { PrivatePlayer } from '@metagameplay/protocol';
import { useApp, useInput } from 'ink';
import { useEffect, useMemo, useRef, useState } from 'react';
import { type GameApi, type Messages, type ReconnectStatus, RequestGate } from '@metagameplay/game';
import {
  GameContext,
  type GameContextValue,
  type RetryStatus,
  type ScreenName,
  type Session,
} from './game-context';
import { HistoryScreen } from './screens/history-screen';
import { HomeScreen } from './screens/home-screen';
import { InventoryScreen } from './screens/inventory-screen';
import { LoginScreen } from './screens/login-screen';
import { ShopScreen } from './screens/shop-screen';

export type RetryListener = (info: RetryStatus) => void;

export interface AppProps {
  api: GameApi;
  t: Messages;
  /** Subscribes to the client's retry notices; returns the unsubscribe function. */
  subscribeRetry: (listener: RetryListener) => () => void;
  serverUrl: string;
}

/** How long the game retries by itself before asking (a restarting server needs 3–9 s). */
const RECONNECT_PATIENCE_MS = 30_000;

export function App({ api, t, subscribeRetry, serverUrl }: AppProps) {
  const { exit } = useApp();
  const [screen, setScreen] = useState<ScreenName>('login');
  const [loginInfo, setLoginInfo] = useState<string | null>(null);
  // Changing the key remounts the login screen with a fresh form after each logout or expiry.
  const [loginVisit, setLoginVisit] = useState(0);
  const [session, setSession] = useState<Session | null>(null);
  const [retry, setRetry] = useState<RetryStatus | null>(null);
  const [offline, setOffline] = useState(false);
  const [reconnect, setReconnect] = useState<ReconnectStatus | null>(null);

  const endSession = (info: string): void => {
    setSession(null);
    setLoginInfo(info);
    setLoginVisit((n) => n + 1);
    setScreen('login');
  };
  const endSessionRef = useRef(endSession);
  endSessionRef.current = endSession;

  const gate = useMemo(
    () =>
      new RequestGate(
        {
          onOffline: () => {
            setRetry(null);
            setReconnect(null);
            setOffline(true);
          },
          onSettled: () => {
            setRetry(null);
            setReconnect(null);
          },
          onSessionExpired: () => endSessionRef.current(t.login.sessionExpired),
          onReconnecting: (status) => {
            setRetry(null);
            setReconnect(status);
          },
        },
        { patienceMs: RECONNECT_PATIENCE_MS },
      ),
    [t],
  );

  useEffect(
    () =>
      subscribeRetry((info) => {
        // An attempt is under way: its own retries replace the countdown to it.
        setReconnect(null);
        setRetry(info);
      }),
    [subscribeRetry],
  );

  // Ink quits on a Ctrl+C read alone; one read in the same chunk as other keys (Esc then Ctrl+C, a
  // fast typist, a busy machine) reaches handlers as text holding ETX. Quit on that too.
  useInput((input) => {
    if (input.includes('\u0003')) exit();
  });

  useInput(
    (input) => {
      const letter = input.toLowerCase();
      if (letter === 'r' || letter === 'к') {
        setOffline(false);
        gate.retry();
      } else if (letter === 'q' || letter === 'й') {
        exit();
      }
    },
    { isActive: offline },
  );

  const context: GameContextValue = {
    t,
    api,
    gate,
    session,
    retry,
    reconnect,
    offline,
    serverUrl,
    inputActive: !offline,
    go: (next) => {
      // The login bonus is news only until the pilot moves on from the home screen.
      setSession((s) => (s?.justArrived ? { ...s, justArrived: false } : s));
      setScreen(next);
    },
    beginSession: (player: PrivatePlayer, loginBonus: number, returning: boolean) => {
      setSession({ player, loginBonus, returning, justArrived: true });
      setLoginInfo(null);
      setScreen('home');
    },
    updatePlayer: (patch) => setSession((s) => (s ? { ...s, player: { ...s.player, ...patch } } : s)),
    endSession,
    quit: () => exit(),
  };

  return (
    <GameContext.Provider value={context}>
      {screen === 'login' || session === null ? (
        <LoginScreen key={loginVisit} info={loginInfo} />
      ) : screen === 'home' ? (
        <HomeScreen />
      ) : screen === 'shop' ? (
        <ShopScreen />
      ) : screen === 'inventory' ? (
        <InventoryScreen />
      ) : (
        <HistoryScreen />
      )}
    </GameContext.Provider>
  );
}
