/** The loading and error states every screen shows while its data is on the way or did not come. */
import { failureMessage } from '@metagameplay/game';
import { useGame } from '../game-context';

export function Loading(props: { label?: string }) {
  const { t } = useGame();
  return (
    <p className="loading" role="status">
      <span className="spinner" aria-hidden="true" />
      {props.label ?? t.loading}
    </p>
  );
}

export function ErrorState(props: { error: unknown; onRetry: () => void }) {
  const { t, w } = useGame();
  return (
    <div className="error-state" role="alert">
      <p>
        <strong>{w.screenFailed}</strong> {failureMessage(t, props.error)}
      </p>
      <button type="button" className="button" onClick={props.onRetry}>
        {w.retry}
      </button>
    </div>
  );
}
