/** Paths ↔ screens: unknown paths land on the bridge; only screen names and battle ids are in URLs. */
import { describe, expect, it } from 'vitest';
import { isAdminRoute, parseRoute, routePath } from '../src/router';

describe('router', () => {
  it('parses every screen and prints it back', () => {
    const id = '0b7c1d2e-1111-2222-3333-444455556666';
    for (const path of [
      '/',
      '/shop',
      '/inventory',
      '/history',
      '/lobby',
      '/battles',
      '/leaderboard',
      `/battles/${id}`,
    ]) {
      expect(routePath(parseRoute(path))).toBe(path);
    }
  });

  it('sends unknown or malformed paths to the bridge', () => {
    for (const path of ['/nope', '/shop/extra', '/battles/not-a-uuid', '/battles/../shop', '//']) {
      expect(parseRoute(path)).toEqual({ name: 'home' });
    }
  });
});

describe("router: the operator's console", () => {
  const id = '0b7c1d2e-1111-2222-3333-444455556666';

  it('parses every console section and a player page, and prints them back', () => {
    expect(parseRoute('/admin')).toEqual({ name: 'admin', section: 'dashboard' });
    expect(parseRoute('/admin/')).toEqual({ name: 'admin', section: 'dashboard' });
    expect(parseRoute('/admin/economy')).toEqual({ name: 'admin', section: 'economy' });
    expect(parseRoute('/admin/players')).toEqual({ name: 'admin', section: 'players' });
    expect(parseRoute('/admin/audit')).toEqual({ name: 'admin', section: 'audit' });
    expect(parseRoute('/admin/catalog')).toEqual({ name: 'admin', section: 'catalog' });
    expect(parseRoute('/admin/books')).toEqual({ name: 'admin', section: 'books' });
    expect(parseRoute(`/admin/players/${id.toUpperCase()}`)).toEqual({ name: 'adminPlayer', id });
    for (const path of [
      '/admin',
      '/admin/economy',
      '/admin/players',
      '/admin/audit',
      '/admin/catalog',
      '/admin/books',
      `/admin/players/${id}`,
    ]) {
      expect(routePath(parseRoute(path))).toBe(path);
    }
  });

  it('tells console routes from the game’s', () => {
    expect(isAdminRoute(parseRoute('/admin/books'))).toBe(true);
    expect(isAdminRoute(parseRoute(`/admin/players/${id}`))).toBe(true);
    expect(isAdminRoute(parseRoute('/shop'))).toBe(false);
    expect(isAdminRoute(parseRoute('/'))).toBe(false);
  });

  it('sends unknown or malformed console paths to the bridge', () => {
    for (const path of [
      '/admin/nope',
      '/admin/dashboard',
      '/admin/players/not-a-uuid',
      `/admin/players/${id}/extra`,
      '/admin/economy/7',
      '/admin/battles',
      `/admin/${id}`,
    ]) {
      expect(parseRoute(path), path).toEqual({ name: 'home' });
    }
  });
});
