/** The bridge: the pilot's credits, power, rating and items, the login bonus just earned, where to go. */
import { failureMessage } from '@metagameplay/game';
import { formatCredits } from '@metagameplay/protocol';
import { useEffect, useState } from 'react';
import { Screen } from '../components/screen';
import { Loading } from '../components/states';
import { useGame, useSession } from '../game-context';
import type { Route } from '../router';

export function HomeScreen() {
  const { t, w, api, gate, navigate, updatePlayer } = useGame();
  const { player, loginBonus } = useSession();
  const [refreshing, setRefreshing] = useState(true);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    void (async () => {
      const me = await gate.run(() => api.me());
      if (!live) return;
      setRefreshing(false);
      if (me.ok) updatePlayer(me.value);
      else if (!me.handled) setError(failureMessage(t, me.error));
    })();
    return () => {
      live = false;
    };
  }, []);

  const stats: Array<{ label: string; value: string; tone: string }> = [
    { label: t.home.balance, value: formatCredits(player.balance), tone: 'gold' },
    { label: t.home.power, value: String(player.power), tone: 'cyan' },
    { label: t.home.rating, value: String(player.rating), tone: 'violet' },
    { label: t.home.items, value: String(player.itemCount), tone: 'green' },
  ];
  const destinations: Array<{ route: Route; title: string; blurb: string; icon: string }> = [
    { route: { name: 'shop' }, title: w.nav.shop, blurb: w.home.shopBlurb, icon: '◈' },
    { route: { name: 'inventory' }, title: w.nav.inventory, blurb: w.home.inventoryBlurb, icon: '▣' },
    { route: { name: 'history' }, title: w.nav.history, blurb: w.home.historyBlurb, icon: '☰' },
    { route: { name: 'lobby' }, title: w.nav.lobby, blurb: w.home.lobbyBlurb, icon: '⚔' },
    { route: { name: 'battles' }, title: w.nav.battles, blurb: w.home.battlesBlurb, icon: '✦' },
    { route: { name: 'leaderboard' }, title: w.nav.leaderboard, blurb: w.home.leaderboardBlurb, icon: '★' },
  ];

  return (
    <Screen heading={t.home.welcome(player.nickname)}>
      {loginBonus > 0 ? (
        <p className="notice good bonus" role="status">
          {t.home.bonus(formatCredits(loginBonus))}
        </p>
      ) : null}
      <dl className="stats">
        {stats.map((stat) => (
          <div key={stat.label} className={`stat ${stat.tone}`}>
            <dt>{stat.label}</dt>
            <dd>{stat.value}</dd>
          </div>
        ))}
      </dl>
      {refreshing && <Loading />}
      {error && (
        <p className="notice bad" role="alert">
          {error}
        </p>
      )}
      <h2 className="section-title">{w.home.actions}</h2>
      <ul className="destinations">
        {destinations.map((d) => (
          <li key={d.route.name}>
            <a
              className="destination"
              href={d.route.name === 'home' ? '/' : `/${d.route.name}`}
              onClick={(event) => {
                event.preventDefault();
                navigate(d.route);
              }}
            >
              <span className="icon" aria-hidden="true">
                {d.icon}
              </span>
              <span className="destination-title">{d.title}</span>
              <span className="destination-blurb">{d.blurb}</span>
            </a>
          </li>
        ))}
      </ul>
    </Screen>
  );
}
