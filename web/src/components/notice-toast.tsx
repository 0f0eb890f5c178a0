/** The result of the last action (bought, sold, refused…), announced politely and dismissed after a while. */
import { useEffect } from 'react';
import { type Notice, useGame } from '../game-context';

const SHOW_MS = 8000;

export function NoticeToast(props: { notice: Notice | null; onClose: () => void }) {
  const { w, navigate } = useGame();
  const { notice, onClose } = props;
  useEffect(() => {
    if (notice === null || notice.tone === 'info') return;
    const timer = setTimeout(onClose, SHOW_MS);
    return () => clearTimeout(timer);
  }, [notice, onClose]);
  return (
    <div className="toasts" role="status" aria-live="polite">
      {notice && (
        <div className={`toast ${notice.tone}`}>
          <p>{notice.text}</p>
          {notice.action && (
            <button
              type="button"
              className="button small"
              onClick={() => {
                const route = notice.action?.route;
                onClose();
                if (route) navigate(route);
              }}
            >
              {notice.action.label}
            </button>
          )}
          <button type="button" className="icon-button" aria-label={w.close} onClick={onClose}>
            ×
          </button>
        </div>
      )}
    </div>
  );
}
