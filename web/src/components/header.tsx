/** The ship's console: the game's name, the screens, the live balance, the language switch and log out. */
import type { Lang } from '@metagameplay/game';
import { formatCredits } from '@metagameplay/protocol';
import { useGame } from '../game-context';
import { isAdminRoute, type Route, routePath } from '../router';

export function Header(props: { onLang: (lang: Lang) => void; onLogout: () => void }) {
  const { w, t, lang, session, route, navigate } = useGame();
  const links: Array<{ route: Route; label: string }> = [
    { route: { name: 'home' }, label: w.nav.home },
    { route: { name: 'shop' }, label: w.nav.shop },
    { route: { name: 'inventory' }, label: w.nav.inventory },
    { route: { name: 'market' }, label: w.nav.market },
    { route: { name: 'history' }, label: w.nav.history },
    { route: { name: 'lobby' }, label: w.nav.lobby },
    { route: { name: 'battles' }, label: w.nav.battles },
    { route: { name: 'leaderboard' }, label: w.nav.leaderboard },
  ];
  // The operator's console is linked for admins only (and refused to anyone else at /admin).
  if (session?.player.role === 'admin') {
    links.push({ route: { name: 'admin', section: 'dashboard' }, label: w.nav.console });
  }
  const current = route.name === 'battle' ? 'battles' : isAdminRoute(route) ? 'admin' : route.name;
  return (
    <header className="header">
      <div className="header-top">
        <a
          className="logo"
          href="/"
          onClick={(event) => {
            event.preventDefault();
            if (session) navigate({ name: 'home' });
          }}
        >
          <span className="logo-mark" aria-hidden="true" />
          {w.appName}
        </a>
        {session && (
          <p className="balance-chip" aria-live="polite">
            <span className="sr-only">{w.nav.balance}: </span>
            <span aria-hidden="true">◈ </span>
            {t.credits(formatCredits(session.player.balance))}
          </p>
        )}
        <div className="lang-switch" role="group" aria-label={w.language}>
          {(['en', 'ru'] as const).map((code) => (
            <button
              key={code}
              type="button"
              className="lang"
              lang={code}
              aria-pressed={lang === code}
              onClick={() => props.onLang(code)}
            >
              {code.toUpperCase()}
            </button>
          ))}
        </div>
        {session && (
          <button type="button" className="button ghost small logout" onClick={props.onLogout}>
            {w.nav.logout}
          </button>
        )}
      </div>
      {session && (
        <nav className="nav" aria-label={w.nav.label}>
          <ul>
            {links.map((link) => (
              <li key={link.route.name}>
                <a
                  href={routePath(link.route)}
                  aria-current={current === link.route.name ? 'page' : undefined}
                  onClick={(event) => {
                    event.preventDefault();
                    navigate(link.route);
                  }}
                >
                  {link.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      )}
    </header>
  );
}
