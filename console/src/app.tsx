/**
 * The root of the console game: which screen is up, the signed-in pilot, and the connection state
 * (the client's retry notices and the "cannot reach the galaxy" choice). Screens reach all of it
 * through `GameContext`; the outage dialog takes the keyboard while it is shown.
 */
import { LiveEvents, type RealtimeConnection } from '@metagameplay/client';
import { formatCredits, type PrivatePlayer } from '@metagameplay/protocol';
import { useApp, useInput } from 'ink';
import { useEffect, useMemo, useRef, useState } from 'react';
import {
  failureMessage,
  type GameApi,
  incomingAfterEvent,
  incomingFromHello,
  liveIncoming,
  type Messages,
  type ReconnectStatus,
  RequestGate,
  type VerifiedBattle,
} from '@metagameplay/game';
import { useNow } from './hooks/use-now';
import {
  GameContext,
  type GameContextValue,
  type RetryStatus,
  type ScreenName,
  type Session,
} from './game-context';
import { BattlesScreen } from './screens/battles-screen';
import { HistoryScreen } from './screens/history-screen';
import { HomeScreen } from './screens/home-screen';
import { InventoryScreen } from './screens/inventory-screen';
import { LeaderboardScreen } from './screens/leaderboard-screen';
import { LobbyScreen } from './screens/lobby-screen';
import { LoginScreen } from './screens/login-screen';
import { MarketScreen } from './screens/market-screen';
import { QuickMatchScreen } from './screens/quick-match-screen';
import { ResultScreen } from './screens/result-screen';
import { ShopScreen } from './screens/shop-screen';

export type RetryListener = (info: RetryStatus) => void;

export interface AppProps {
  api: GameApi;
  t: Messages;
  /** Subscribes to the client's retry notices; returns the unsubscribe function. */
  subscribeRetry: (listener: RetryListener) => () => void;
  serverUrl: string;
  /** Opens the live WebSocket connection for the signed-in session (main.tsx: `ws` with header auth). */
  openLive: () => RealtimeConnection;
}

/** How long the game retries by itself before asking (a restarting server needs 3–9 s). */
const RECONNECT_PATIENCE_MS = 30_000;

export function App({ api, t, subscribeRetry, serverUrl, openLive }: AppProps) {
  const { exit } = useApp();
  const [screen, setScreen] = useState<ScreenName>('login');
  const [loginInfo, setLoginInfo] = useState<string | null>(null);
  // Changing the key remounts the login screen with a fresh form after each logout or expiry.
  const [loginVisit, setLoginVisit] = useState(0);
  const [session, setSession] = useState<Session | null>(null);
  const [retry, setRetry] = useState<RetryStatus | null>(null);
  const [offline, setOffline] = useState(false);
  const [reconnect, setReconnect] = useState<ReconnectStatus | null>(null);
  const live = useMemo(() => new LiveEvents(), []);
  const [incoming, setIncoming] = useState<VerifiedBattle[]>([]);
  const [result, setResult] = useState<VerifiedBattle | null>(null);
  // Where Esc on the result screen leads: the screen the result opened over.
  const [resultBack, setResultBack] = useState<ScreenName>('home');
  const [names, setNames] = useState<ReadonlyMap<string, string>>(new Map());
  const asked = useRef(new Set<string>());
  const [liveNotice, setLiveNotice] = useState<string | null>(null);
  const [promptNotice, setPromptNotice] = useState<string | null>(null);
  const [answering, setAnswering] = useState(false);
  const meId = session?.player.id ?? null;

  const endSession = (info: string): void => {
    live.detach();
    setIncoming([]);
    setLiveNotice(null);
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

  // One live connection per session: opened at login, closed at logout or expiry (endSession).
  useEffect(() => {
    if (meId === null) return;
    live.attach(openLive());
    return () => live.detach();
  }, [meId]);

  // The live state the whole game shares: the pilot (hello re-syncs it after every reconnect), the
  // balance, the challenges waiting for an answer, and the link's health.
  useEffect(() => {
    if (meId === null) return;
    const offs = [
      live.on('hello', (hello) => {
        setSession((s) => (s ? { ...s, player: hello.player } : s));
        setIncoming(incomingFromHello(hello.pendingChallenges, meId));
        setLiveNotice(null);
      }),
      live.on('balance', ({ balance }) =>
        setSession((s) => (s ? { ...s, player: { ...s.player, balance } } : s)),
      ),
      ...(['battle.challenge', 'battle.resolved', 'battle.cancelled'] as const).map((event) =>
        live.on(event, ({ battle }) => setIncoming((list) => incomingAfterEvent(list, battle, meId))),
      ),
      // Both players see the result of their battle (an accepted challenge or a quick match), wherever they are.
      live.on('battle.resolved', ({ battle }) => {
        if (battle.challengerId === meId || battle.opponentId === meId) showResultRef.current(battle);
      }),
      // A sale shows up live for the seller, whatever screen it is on.
      live.on('market.sold', ({ listing }) =>
        setLiveNotice(t.market.sold(listing.itemName, formatCredits(listing.price))),
      ),
      live.on('status', ({ status }) => {
        if (status === 'reconnecting') setLiveNotice(t.battles.live.reconnecting);
      }),
      live.on('stopped', ({ reason }) => {
        if (reason === 'session-expired') endSessionRef.current(t.login.sessionExpired);
        else if (reason === 'too-many-sockets') setLiveNotice(t.battles.live.tooManySockets);
      }),
    ];
    return () => {
      for (const off of offs) off();
    };
  }, [meId]);

  const now = useNow(1000, incoming.length > 0);
  const shownIncoming = liveIncoming(incoming, now);
  const prompt = shownIncoming[0] ?? null;

  const nameOf = (playerId: string): string => {
    const known = names.get(playerId);
    if (known !== undefined) return known;
    if (!asked.current.has(playerId)) {
      asked.current.add(playerId);
      void api.player(playerId).then(
        (player) => setNames((map) => new Map(map).set(player.id, player.nickname)),
        () => asked.current.delete(playerId),
      );
    }
    return playerId.slice(0, 8);
  };

  const showResult = (battle: VerifiedBattle): void => {
    setResult(battle);
    if (screen !== 'result' && screen !== 'login') setResultBack(screen);
    setScreen('result');
  };
  const showResultRef = useRef(showResult);
  showResultRef.current = showResult;

  async function answer(battle: VerifiedBattle, accept: boolean): Promise<void> {
    setAnswering(true);
    setPromptNotice(accept ? t.battles.incoming.accepting : null);
    const outcome = await gate.run(() => (accept ? api.accept(battle.id) : api.decline(battle.id)));
    setAnswering(false);
    setIncoming((list) => list.filter((b) => b.id !== battle.id));
    if (outcome.ok) {
      setPromptNotice(accept ? null : t.battles.incoming.declined);
      if (accept) showResult(outcome.value.battle);
    } else if (!outcome.handled) {
      setPromptNotice(failureMessage(t, outcome.error));
    }
  }

  // The incoming-challenge prompt takes A / D on any screen while it is shown.
  useInput(
    (input) => {
      if (prompt === null || answering) return;
      const letter = input.toLowerCase();
      if (letter === 'a' || letter === 'ф') void answer(prompt, true);
      else if (letter === 'd' || letter === 'в') void answer(prompt, false);
    },
    { isActive: !offline && prompt !== null },
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
    inputActive: !offline && prompt === null,
    go: (next) => {
      // The login bonus is news only until the pilot moves on from the home screen.
      setSession((s) => (s?.justArrived ? { ...s, justArrived: false } : s));
      setPromptNotice(null);
      setScreen(next);
    },
    live,
    incoming: shownIncoming,
    nameOf,
    showResult,
    result,
    resultBack,
    liveNotice: liveNotice ?? promptNotice,
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
      ) : screen === 'market' ? (
        <MarketScreen />
      ) : screen === 'lobby' ? (
        <LobbyScreen />
      ) : screen === 'quickmatch' ? (
        <QuickMatchScreen />
      ) : screen === 'battles' ? (
        <BattlesScreen />
      ) : screen === 'leaderboard' ? (
        <LeaderboardScreen />
      ) : screen === 'result' ? (
        <ResultScreen />
      ) : (
        <HistoryScreen />
      )}
    </GameContext.Provider>
  );
}
