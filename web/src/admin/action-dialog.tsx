/**
 * An operator's action in a modal <dialog>: its own fields (an amount, a ban's end, a nickname to
 * confirm…), then the reason the audit log keeps (required 1..500 characters, or optional), then the
 * button. A refusal stays in the dialog, worded with the API's code and message; success closes it.
 */
import { MAX_REASON_LENGTH, reasonInput } from '@metagameplay/game/admin';
import { type FormEvent, type ReactNode, useEffect, useId, useRef, useState } from 'react';
import { useConsole } from './console-context';

export interface ActionDialogProps {
  title: string;
  note?: string;
  submitLabel: string;
  danger?: boolean;
  /** Required by default; the catalog's and the books' actions take an optional one. */
  reason?: 'required' | 'optional';
  children?: ReactNode;
  /** A problem with the dialog's own fields, or null when they are fine. */
  validate?: () => string | null;
  /** Does the action; resolves to the refusal to show, or null once done. */
  onSubmit: (reason: string | undefined) => Promise<string | null>;
  onClose: () => void;
}

export function ActionDialog(props: ActionDialogProps) {
  const { c } = useConsole();
  const dialog = useRef<HTMLDialogElement>(null);
  const form = useRef<HTMLFormElement>(null);
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const titleId = useId();
  const noteId = useId();
  const reasonHintId = useId();
  const closeRef = useRef(props.onClose);
  closeRef.current = props.onClose;
  const required = (props.reason ?? 'required') === 'required';

  useEffect(() => {
    const element = dialog.current;
    if (element === null) return;
    if (typeof element.showModal === 'function' && !element.open) element.showModal();
    form.current?.querySelector<HTMLElement>('input, select, textarea')?.focus();
    const onCancel = (event: Event): void => {
      event.preventDefault();
      closeRef.current();
    };
    element.addEventListener('cancel', onCancel);
    return () => {
      element.removeEventListener('cancel', onCancel);
      if (element.open) element.close();
    };
  }, []);

  async function submit(event: FormEvent): Promise<void> {
    event.preventDefault();
    if (busy) return;
    const fields = props.validate?.() ?? null;
    if (fields !== null) {
      setProblem(fields);
      return;
    }
    const given = reasonInput(reason);
    if (given === null && (required || reason.trim() !== '')) {
      setProblem(c.reasonProblem);
      return;
    }
    setProblem(null);
    setBusy(true);
    const refused = await props.onSubmit(given ?? undefined);
    setBusy(false);
    if (refused === null) props.onClose();
    else setProblem(refused);
  }

  return (
    <dialog
      ref={dialog}
      className="dialog console-dialog"
      aria-labelledby={titleId}
      aria-describedby={props.note ? noteId : undefined}
    >
      <form ref={form} onSubmit={(event) => void submit(event)} noValidate>
        <h2 id={titleId}>{props.title}</h2>
        {props.note && (
          <p id={noteId} className="hint">
            {props.note}
          </p>
        )}
        {props.children}
        <label className="field">
          <span>{required ? c.reason : c.reasonOptional}</span>
          <textarea
            name="reason"
            rows={2}
            maxLength={MAX_REASON_LENGTH}
            required={required}
            value={reason}
            aria-describedby={reasonHintId}
            onChange={(e) => setReason(e.target.value)}
          />
        </label>
        <small className="field-hint" id={reasonHintId}>
          {c.reasonHint}
        </small>
        {problem !== null && (
          <p className="notice bad" role="alert">
            {problem}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" className="button ghost" onClick={props.onClose}>
            {c.cancel}
          </button>
          <button
            type="submit"
            className={props.danger ? 'button danger' : 'button primary'}
            disabled={busy}
            aria-busy={busy}
          >
            {props.submitLabel}
          </button>
        </div>
      </form>
    </dialog>
  );
}
