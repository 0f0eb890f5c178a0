/**
 * The door to the operator's console (`/admin`): an admin gets the console, loaded on first visit as
 * its own chunk (so a player's first load never carries it); anyone else gets a "not allowed" notice
 * and the way back to the bridge — the console's code is never even fetched for them.
 */
import type { AdminApi } from '@metagameplay/client';
import { Component, lazy, type ReactNode, Suspense } from 'react';
import { useGame, useSession } from '../game-context';
import type { AdminRoute } from '../router';
import { Screen } from './screen';
import { Loading } from './states';

const Console = lazy(() => import('../admin/console'));

export function ConsoleDoor(props: { route: AdminRoute; admin: AdminApi }) {
  const { w } = useGame();
  const { player } = useSession();
  if (player.role !== 'admin') return <NotAllowed />;
  return (
    <ChunkGuard message={w.admin.loadFailed} retry={w.reload}>
      <Suspense fallback={<Loading />}>
        <Console route={props.route} admin={props.admin} />
      </Suspense>
    </ChunkGuard>
  );
}

function NotAllowed() {
  const { w, navigate } = useGame();
  return (
    <Screen heading={w.admin.notAllowedHeading}>
      <p className="notice bad" role="alert">
        {w.admin.notAllowed}
      </p>
      <button type="button" className="button primary" onClick={() => navigate({ name: 'home' })}>
        {w.admin.toBridge}
      </button>
    </Screen>
  );
}

/** A console chunk that failed to load (a new deployment, a dropped connection) is a message, not a crash. */
class ChunkGuard extends Component<{ message: string; retry: string; children: ReactNode }> {
  override state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  override render(): ReactNode {
    if (!this.state.failed) return this.props.children;
    return (
      <div className="error-state" role="alert">
        <p>{this.props.message}</p>
        <button type="button" className="button" onClick={() => window.location.reload()}>
          {this.props.retry}
        </button>
      </div>
    );
  }
}
