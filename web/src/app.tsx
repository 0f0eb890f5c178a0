/**
 * The browser game: the session, the current screen, the language, and the one request gate every
 * server call goes through (an unreachable galaxy parks the calls behind the offline banner, which
 * retries them by itself and on the Retry button; an expired session returns to sign-in with a line).
 */
import type { ApiClient } from '@metagameplay/client';
import { type Lang, messages, RequestGate, webMessages } from '@metagameplay/game';
import type { PrivatePlayer, SessionResponse } from '@metagameplay/protocol';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Header } from './components/header';
import { NoticeToast } from './components/notice-toast';
import { OfflineBanner } from './components/offline-banner';
import { Loading } from './components/states';
import { GameContext, type GameContextValue, type Notice, type Session } from './game-context';
import { RetryCountdown } from './retry-countdown';
import { type Route, useRoute } from './router';
import { HistoryScreen } from './screens/history-screen';
import { HomeScreen } from './screens/home-screen';
import { InventoryScreen } from './screens/inventory-screen';
import { LoginScreen } from './screens/login-screen';
import { PlaceholderScreen } from './screens/placeholder-screen';
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
  const [session, setSession] = useState<Session | null>(null);
  const [booting, setBooting] = useState(api.token !== null);
  const [loginInfo, setLoginInfo] = useState<string | null>(null);
  // A new key remounts the sign-in form fresh after each logout or expiry.
  const [loginVisit, setLoginVisit] = useState(0);
  const [offline, setOffline] = useState(false);
  const [secondsLeft, setSecondsLeft] = useState<number | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);

  const endSession = (info: string): void => {
    api.token = null;
    tokens.clear();
    setSession(null);
    setNotice(null);
    setLoginInfo(info);
    setLoginVisit((n) => n + 1);
  };
  const endSessionRef = useRef(endSession);
  endSessionRef.current = endSession;
  const textsRef = useRef(t);
  textsRef.current = t;

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

  const context: GameContextValue = {
    t,
    w,
    lang,
    api,
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
          <CurrentScreen key={routeKey(route)} route={route} />
        )}
      </main>
      <NoticeToast notice={notice} onClose={closeNotice} />
    </GameContext.Provider>
  );
}

function routeKey(route: Route): string {
  return route.name === 'battle' ? `battle:${route.id}` : route.name;
}

function CurrentScreen({ route }: { route: Route }) {
  switch (route.name) {
    case 'home':
      return <HomeScreen />;
    case 'shop':
      return <ShopScreen />;
    case 'inventory':
      return <InventoryScreen />;
    case 'history':
      return <HistoryScreen />;
    default:
      return <PlaceholderScreen />;
  }
}
