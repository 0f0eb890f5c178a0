/**
 * The browser game: the session, the current screen, the language, and the one request gate every
 * server call goes through (an unreachable galaxy parks the calls behind the offline banner, which
 * retries them by itself and on the Retry button; an expired session returns to sign-in with a line).
 */
import { type ApiClient, type CheckedBattle, connect, LiveEvents } from '@metagameplay/client';
import {
  incomingAfterEvent,
  incomingFromHello,
  type Lang,
  messages,
  RequestGate,
  webMessages,
} from '@metagameplay/game';
import { formatCredits, type PrivatePlayer, type SessionResponse } from '@metagameplay/protocol';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ChallengeToasts } from './components/challenge-toasts';
import { ConsoleDoor } from './components/console-door';
import { Header } from './components/header';
import { NoticeToast } from './components/notice-toast';
import { OfflineBanner } from './components/offline-banner';
import { Loading } from './components/states';
import { GameContext, type GameContextValue, type Notice, type Session } from './game-context';
import { RetryCountdown } from './retry-countdown';
import { isAdminRoute, type Route, useRoute } from './router';
import { BattleScreen } from './screens/battle-screen';
import { BattlesScreen } from './screens/battles-screen';
import { HistoryScreen } from './screens/history-screen';
import { HomeScreen } from './screens/home-screen';
import { InventoryScreen } from './screens/inventory-screen';
import { LeaderboardScreen } from './screens/leaderboard-screen';
import { LobbyScreen } from './screens/lobby-screen';
import { LoginScreen } from './screens/login-screen';
import { MarketScreen } from './screens/market-screen';
import { ShopScreen } from './screens/shop-screen';
import type { TokenStore } from './token-store';

export interface AppProps {
  api: ApiClient;
  tokens: TokenStore;
  initialLang: Lang;
  onLangChange?: (lang: Lang) => void;
}

export function App({ api, tokens, initialLang, onLangChange }: AppProps) {
  const [lang, setLang] = useState<Lang>(initialLang);
  const t = messages[lang];
  const w = webMessages[lang];
  const [route, navigate] = useRoute();
  const routeRef = useRef(route);
  routeRef.current = route;
  const [session, setSession] = useState<Session | null>(null);
  const [booting, setBooting] = useState(api.token !== null);
  const [loginInfo, setLoginInfo] = useState<string | null>(null);
  // A new key remounts the sign-in form fresh after each logout or expiry.
  const [loginVisit, setLoginVisit] = useState(0);
  const [offline, setOffline] = useState(false);
  const [secondsLeft, setSecondsLeft] = useState<number | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const live = useMemo(() => new LiveEvents(), []);
  const [incoming, setIncoming] = useState<readonly CheckedBattle[]>([]);

  const endSession = (info: string): void => {
    api.token = null;
    tokens.clear();
    setSession(null);
    setNotice(null);
    setIncoming([]);
    setLoginInfo(info);
    setLoginVisit((n) => n + 1);
  };
  const endSessionRef = useRef(endSession);
  endSessionRef.current = endSession;
  const textsRef = useRef(t);
  textsRef.current = t;
  const webTextsRef = useRef(w);
  webTextsRef.current = w;

  const gateRef = useRef<RequestGate | null>(null);
  const countdown = useMemo(() => new RetryCountdown(() => gateRef.current?.retry(), setSecondsLeft), []);
  const gate = useMemo(
    () =>
      new RequestGate({
        onOffline: () => {
          setOffline(true);
          countdown.start();
        },
        onSettled: () => {
          if (gateRef.current?.offline) return;
          setOffline(false);
          countdown.reset();
        },
        onSessionExpired: () => endSessionRef.current(textsRef.current.login.sessionExpired),
      }),
    [countdown],
  );
  gateRef.current = gate;
  useEffect(() => () => countdown.dispose(), [countdown]);

  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = `${w.appName} — ${w.tagline}`;
  }, [lang, w]);

  // A reloaded tab still holds its token in sessionStorage: resume the session with a fresh profile.
  useEffect(() => {
    if (api.token === null) return;
    void (async () => {
      const me = await gate.run(() => api.me());
      if (me.ok) setSession({ player: me.value, loginBonus: 0 });
      else if (!me.handled) endSessionRef.current(textsRef.current.login.sessionExpired);
      setBooting(false);
    })();
  }, []);

  const beginSession = (started: SessionResponse): void => {
    tokens.save(started.token);
    setLoginInfo(null);
    setSession({ player: started.player, loginBonus: started.loginBonus });
    navigate(route);
  };

  const logout = async (): Promise<void> => {
    await gate.run(() => api.logout());
    endSession(t.login.loggedOut);
    navigate({ name: 'home' });
  };

  const updatePlayer = useCallback(
    (patch: Partial<PrivatePlayer>) =>
      setSession((s) => (s ? { ...s, player: { ...s.player, ...patch } } : s)),
    [],
  );
  const closeNotice = useCallback(() => setNotice(null), []);

  // The live connection while a pilot is signed in: balance, challenges to answer, battles resolved.
  const me = session?.player.id ?? null;
  useEffect(() => {
    if (me === null) return;
    live.attach(connect({ baseUrl: window.location.origin, token: () => api.token }));
    const offs = [
      live.on('hello', (hello) => {
        updatePlayer({ ...hello.player, balance: hello.balance });
        setIncoming(incomingFromHello(hello.pendingChallenges, me));
      }),
      live.on('balance', ({ balance }) => updatePlayer({ balance })),
      // A sale shows up live for the seller, whatever screen it is on.
      live.on('market.sold', ({ listing }) =>
        setNotice({
          text: textsRef.current.market.sold(listing.itemName, formatCredits(listing.price)),
          tone: 'good',
        }),
      ),
      live.on('battle.challenge', ({ battle }) =>
        setIncoming((list) => incomingAfterEvent(list, battle, me)),
      ),
      live.on('battle.cancelled', ({ battle }) => {
        setIncoming((list) => incomingAfterEvent(list, battle, me));
        // The challenger hears that its challenge was declined or ran out (its own cancel it sees on screen).
        if (battle.challengerId !== me || isOn(routeRef.current, battle.id)) return;
        if (battle.status !== 'declined' && battle.status !== 'expired') return;
        const texts = webTextsRef.current;
        setNotice({
          text: texts.battle.closedToast(battle.status),
          tone: 'info',
          action: { label: texts.battle.viewChallenge, route: { name: 'battle', id: battle.id } },
        });
      }),
      live.on('battle.resolved', ({ battle }) => {
        setIncoming((list) => incomingAfterEvent(list, battle, me));
        // Both sides alike: the opponent who accepted is taken to the result by its accept, the
        // challenger (whatever screen it waits on) by this event, as quick match takes both.
        if (isOn(routeRef.current, battle.id)) return;
        setNotice(null);
        navigate({ name: 'battle', id: battle.id });
      }),
      live.on('stopped', ({ reason }) => {
        if (reason === 'session-expired' && api.token !== null)
          endSessionRef.current(textsRef.current.login.sessionExpired);
      }),
    ];
    return () => {
      for (const off of offs) off();
      live.detach();
    };
  }, [me]);

  const context: GameContextValue = {
    t,
    w,
    lang,
    api,
    battles: api,
    live,
    gate,
    session,
    route,
    navigate: (next: Route) => {
      setNotice(null);
      navigate(next);
    },
    updatePlayer,
    notify: setNotice,
  };

  const changeLang = (next: Lang): void => {
    setLang(next);
    onLangChange?.(next);
  };

  return (
    <GameContext.Provider value={context}>
      <a className="skip-link" href="#main">
        {w.skipToContent}
      </a>
      <Header onLang={changeLang} onLogout={() => void logout()} />
      {offline && <OfflineBanner secondsLeft={secondsLeft} onRetry={() => countdown.now()} />}
      <main id="main" className="main">
        {booting ? (
          <Loading label={t.loading} />
        ) : session === null ? (
          <LoginScreen key={loginVisit} info={loginInfo} onSession={beginSession} />
        ) : (
          <CurrentScreen key={routeKey(route)} route={route} admin={api.admin} />
        )}
      </main>
      {session !== null && (
        <ChallengeToasts
          incoming={incoming}
          onAnswered={(id) => setIncoming((list) => list.filter((b) => b.id !== id))}
        />
      )}
      <NoticeToast notice={notice} onClose={closeNotice} />
    </GameContext.Provider>
  );
}

function isOn(route: Route, battleId: string): boolean {
  return route.name === 'battle' && route.id === battleId;
}

function routeKey(route: Route): string {
  // The console stays mounted across its own sections (it keeps its navigation and polling itself).
  if (isAdminRoute(route)) return 'admin';
  return route.name === 'battle' ? `battle:${route.id}` : route.name;
}

function CurrentScreen({ route, admin }: { route: Route; admin: ApiClient['admin'] }) {
  switch (route.name) {
    case 'admin':
    case 'adminPlayer':
      return <ConsoleDoor route={route} admin={admin} />;
    case 'home':
      return <HomeScreen />;
    case 'shop':
      return <ShopScreen />;
    case 'inventory':
      return <InventoryScreen />;
    case 'market':
      return <MarketScreen />;
    case 'history':
      return <HistoryScreen />;
    case 'lobby':
      return <LobbyScreen />;
    case 'battles':
      return <BattlesScreen />;
    case 'battle':
      return <BattleScreen id={route.id} />;
    case 'leaderboard':
      return <LeaderboardScreen />;
  }
}
