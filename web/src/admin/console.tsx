/**
 * The operator's console (`/admin`, issue 16): the dashboard, the economy, players, the audit log,
 * the catalog and the books, for admins only. This module and everything it imports (uPlot, the
 * console's texts and styles) form one chunk loaded lazily by components/console-door.tsx, so a
 * player's first load does not grow with it.
 */
import type { AdminApi } from '@metagameplay/client';
import { adminMessages } from '@metagameplay/game/admin';
import { useMemo } from 'react';
import { useGame } from '../game-context';
import { ADMIN_SECTIONS, type AdminRoute, type AdminSection, routePath } from '../router';
import { AuditPage } from './audit';
import { BooksPage } from './books';
import { CatalogPage } from './catalog';
import { ConsoleContext, type ConsoleContextValue } from './console-context';
import { DashboardPage } from './dashboard';
import { EconomyPage } from './economy';
import { PlayerPage } from './player-page';
import { PlayersPage } from './players';
import './console.css';

export default function Console(props: { route: AdminRoute; admin: AdminApi }) {
  const { lang } = useGame();
  const value = useMemo<ConsoleContextValue>(
    () => ({ admin: props.admin, c: adminMessages[lang] }),
    [props.admin, lang],
  );
  const section: AdminSection = props.route.name === 'adminPlayer' ? 'players' : props.route.section;
  return (
    <ConsoleContext.Provider value={value}>
      <div className="console">
        <ConsoleNav current={section} />
        {props.route.name === 'adminPlayer' ? (
          <PlayerPage key={props.route.id} id={props.route.id} />
        ) : (
          <SectionPage key={section} section={section} />
        )}
      </div>
    </ConsoleContext.Provider>
  );
}

function SectionPage({ section }: { section: AdminSection }) {
  switch (section) {
    case 'dashboard':
      return <DashboardPage />;
    case 'economy':
      return <EconomyPage />;
    case 'players':
      return <PlayersPage />;
    case 'audit':
      return <AuditPage />;
    case 'catalog':
      return <CatalogPage />;
    case 'books':
      return <BooksPage />;
  }
}

function ConsoleNav({ current }: { current: AdminSection }) {
  const { navigate, lang } = useGame();
  const c = adminMessages[lang];
  return (
    <nav className="console-nav" aria-label={c.navLabel}>
      <span className="console-title">{c.title}</span>
      <ul>
        {ADMIN_SECTIONS.map((section) => {
          const route = { name: 'admin', section } as const;
          return (
            <li key={section}>
              <a
                href={routePath(route)}
                aria-current={current === section ? 'page' : undefined}
                onClick={(event) => {
                  event.preventDefault();
                  navigate(route);
                }}
              >
                {c.nav[section]}
              </a>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
