/**
 * A yes/no question in a modal <dialog>: the browser traps focus inside it and Esc answers no. The
 * confirm button takes the focus, so Enter confirms as in the console.
 */
import { useEffect, useId, useRef } from 'react';
import { useGame } from '../game-context';

export function ConfirmDialog(props: {
  title: string;
  question: string;
  confirmLabel: string;
  onAnswer: (yes: boolean) => void;
}) {
  const { w } = useGame();
  const dialog = useRef<HTMLDialogElement>(null);
  const yes = useRef<HTMLButtonElement>(null);
  const titleId = useId();
  const questionId = useId();
  const answered = useRef(false);
  const answer = (value: boolean): void => {
    if (answered.current) return;
    answered.current = true;
    props.onAnswer(value);
  };
  const answerRef = useRef(answer);
  answerRef.current = answer;

  useEffect(() => {
    const element = dialog.current;
    if (element === null) return;
    if (typeof element.showModal === 'function' && !element.open) element.showModal();
    yes.current?.focus();
    const onCancel = (event: Event): void => {
      event.preventDefault();
      answerRef.current(false);
    };
    element.addEventListener('cancel', onCancel);
    return () => {
      element.removeEventListener('cancel', onCancel);
      if (element.open) element.close();
    };
  }, []);

  return (
    <dialog ref={dialog} className="dialog" aria-labelledby={titleId} aria-describedby={questionId}>
      <h2 id={titleId}>{props.title}</h2>
      <p id={questionId}>{props.question}</p>
      <div className="dialog-actions">
        <button type="button" className="button ghost" onClick={() => answer(false)}>
          {w.cancel}
        </button>
        <button type="button" className="button primary" ref={yes} onClick={() => answer(true)}>
          {props.confirmLabel}
        </button>
      </div>
    </dialog>
  );
}
