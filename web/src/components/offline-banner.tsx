/** "Cannot reach the galaxy — retrying…": shown while calls are parked by the request gate, with a Retry button. */
import { useGame } from '../game-context';

export function OfflineBanner(props: { secondsLeft: number | null; onRetry: () => void }) {
  const { w } = useGame();
  return (
    <div className="offline" role="alert">
      <span className="spinner" aria-hidden="true" />
      <p>
        <strong>{w.offline}</strong>
        {props.secondsLeft !== null && <span> {w.offlineNext(props.secondsLeft)}</span>}
      </p>
      <button type="button" className="button primary" onClick={props.onRetry}>
        {w.retryNow}
      </button>
    </div>
  );
}
