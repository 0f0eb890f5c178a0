/** Asks for a listing's price in credits (a modal form): sends it as units, or says why it is not a price. */
import { parseCredits } from '@metagameplay/protocol';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { useGame } from '../game-context';

export function PriceDialog(props: {
  title: string;
  hint: string;
  initial: string;
  submitLabel: string;
  onDone: (price: number | null) => void;
}) {
  const { t, w } = useGame();
  const dialog = useRef<HTMLDialogElement>(null);
  const input = useRef<HTMLInputElement>(null);
  const [text, setText] = useState(props.initial);
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
    const price = parseCredits(text);
    if (price === null || price < 1) {
      setError(t.market.badPrice);
      input.current?.focus();
      return;
    }
    props.onDone(price);
  }

  return (
    <dialog ref={dialog} className="dialog" aria-labelledby={titleId}>
      <form onSubmit={submit} noValidate>
        <h2 id={titleId}>{props.title}</h2>
        <label className="field">
          <span>{t.market.priceLabel}</span>
          <input
            ref={input}
            name="price"
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
          <small id={hintId}>{props.hint}</small>
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
