/** Paths ↔ screens: unknown paths land on the bridge; only screen names and battle ids are in URLs. */
import { describe, expect, it } from 'vitest';
import { parseRoute, routePath } from '../src/router';

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
