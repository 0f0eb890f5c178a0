/**
 * The screens as paths (the server's SPA fallback serves index.html for each), parsed to a typed route
 * and back. Only screen names and battle or player ids ever go into the URL — never a token.
 */
import { useCallback, useEffect, useState } from 'react';

export type Route =
  | { name: 'home' }
  | { name: 'shop' }
  | { name: 'inventory' }
  | { name: 'market' }
  | { name: 'history' }
  | { name: 'lobby' }
  | { name: 'battles' }
  | { name: 'battle'; id: string }
  | { name: 'leaderboard' }
  | { name: 'admin'; section: AdminSection }
  | { name: 'adminPlayer'; id: string };

/** The operator's console (`/admin`, admins only): its sections, `/admin` itself being the dashboard. */
export const ADMIN_SECTIONS = ['dashboard', 'economy', 'players', 'audit', 'catalog', 'books'] as const;
export type AdminSection = (typeof ADMIN_SECTIONS)[number];
export type AdminRoute = Extract<Route, { name: 'admin' | 'adminPlayer' }>;

const SIMPLE = ['shop', 'inventory', 'market', 'history', 'lobby', 'battles', 'leaderboard'] as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function parseRoute(pathname: string): Route {
  const parts = pathname.split('/').filter((part) => part !== '');
  const [first, second] = parts;
  if (first === 'admin') return parseAdmin(parts.slice(1)) ?? { name: 'home' };
  if (first === 'battles' && second !== undefined && UUID.test(second) && parts.length === 2) {
    return { name: 'battle', id: second.toLowerCase() };
  }
  if (parts.length === 1) {
    const simple = SIMPLE.find((name) => name === first);
    if (simple) return { name: simple };
  }
  return { name: 'home' };
}

function parseAdmin(parts: readonly string[]): AdminRoute | null {
  const [section, id] = parts;
  if (section === undefined) return { name: 'admin', section: 'dashboard' };
  if (section === 'players' && id !== undefined && UUID.test(id) && parts.length === 2) {
    return { name: 'adminPlayer', id: id.toLowerCase() };
  }
  if (parts.length !== 1 || section === 'dashboard') return null;
  const known = ADMIN_SECTIONS.find((name) => name === section);
  return known ? { name: 'admin', section: known } : null;
}

export function isAdminRoute(route: Route): route is AdminRoute {
  return route.name === 'admin' || route.name === 'adminPlayer';
}

export function routePath(route: Route): string {
  switch (route.name) {
    case 'home':
      return '/';
    case 'battle':
      return `/battles/${encodeURIComponent(route.id)}`;
    case 'admin':
      return route.section === 'dashboard' ? '/admin' : `/admin/${route.section}`;
    case 'adminPlayer':
      return `/admin/players/${encodeURIComponent(route.id)}`;
    default:
      return `/${route.name}`;
  }
}

/** The current route, following the browser's back and forward buttons. */
export function useRoute(): [Route, (route: Route) => void] {
  const [route, setRoute] = useState<Route>(() => parseRoute(window.location.pathname));
  useEffect(() => {
    const onPop = (): void => setRoute(parseRoute(window.location.pathname));
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  const navigate = useCallback((next: Route) => {
    const path = routePath(next);
    if (window.location.pathname !== path) window.history.pushState(null, '', path);
    setRoute(next);
  }, []);
  return [route, navigate];
}
