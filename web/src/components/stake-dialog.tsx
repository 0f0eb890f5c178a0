/** Asks for a stake in credits (a modal form): sends it as units, or says why it is not a stake. */
import { parseCredits } from '@metagameplay/protocol';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { useGame } from '../game-context';

export function StakeDialog(props: {
  title: string;
  submitLabel: string;
  onDone: (stake: number | null) => void;
}) {
  const { w } = useGame();
  const dialog = useRef<HTMLDialogElement>(null);
  const input = useRef<HTMLInputElement>(null);
  const [text, setText] = useState('0');
  const [error, setError] = useState<string | null>(null);
  const titleId = useId();
  const hintId = useId();
  const doneRef = useRef(props.onDone);
  doneRef.current = props.onDone;

  useEffect(() => {
    const element = dialog.current;
    if (element === null) return;
    if (typeof element.showModal === 'function' && !element.open) element.showModal();
    input.current?.select();
    const onCancel = (event: Event): void => {
      event.preventDefault();
      doneRef.current(null);
    };
    element.addEventListener('cancel', onCancel);
    return () => {
      element.removeEventListener('cancel', onCancel);
      if (element.open) element.close();
    };
  }, []);

  function submit(event: FormEvent): void {
    event.preventDefault();
    const stake = parseCredits(text);
    if (stake === null) {
      setError(w.battle.badStake);
      input.current?.focus();
      return;
    }
    props.onDone(stake);
  }

  return (
    <dialog ref={dialog} className="dialog" aria-labelledby={titleId}>
      <form onSubmit={submit} noValidate>
        <h2 id={titleId}>{props.title}</h2>
        <label className="field">
          <span>{w.battle.stake}</span>
          <input
            ref={input}
            name="stake"
            inputMode="decimal"
            autoComplete="off"
            value={text}
            aria-describedby={hintId}
            aria-invalid={error !== null}
            onChange={(e) => {
              setText(e.target.value);
              setError(null);
            }}
          />
          <small id={hintId}>{w.battle.stakeHint}</small>
        </label>
        {error && (
          <p className="notice bad" role="alert">
            {error}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" className="button ghost" onClick={() => props.onDone(null)}>
            {w.cancel}
          </button>
          <button type="submit" className="button primary">
            {props.submitLabel}
          </button>
        </div>
      </form>
    </dialog>
  );
}
