/**
 * Sign in or create a pilot, with the console's rules (the shared login dialogue of @metagameplay/game):
 * nickname and password checked before anything is sent; an unknown nickname offers to create the
 * pilot, which asks the password once more before registering.
 */
import {
  answerCreate,
  initialLogin,
  type LoginAction,
  loginFailed,
  type LoginState,
  stepBack,
  submitLogin,
  typeInto,
} from '@metagameplay/game';
import type { SessionResponse } from '@metagameplay/protocol';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useGame } from '../game-context';

export function LoginScreen(props: { info: string | null; onSession: (session: SessionResponse) => void }) {
  const { t, w, api, gate } = useGame();
  const [state, setState] = useState<LoginState>(() => initialLogin(props.info));
  const [nickname, setNickname] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const first = useRef<HTMLInputElement>(null);
  const confirmField = useRef<HTMLInputElement>(null);
  const createButton = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (state.step === 'confirm') confirmField.current?.focus();
    else if (state.step === 'offer-create') createButton.current?.focus();
  }, [state.step]);

  async function run(next: LoginState, action: LoginAction): Promise<void> {
    setState(next);
    const outcome = await gate.run(() =>
      action.kind === 'login'
        ? api.login(action.nickname, action.password)
        : api.register(action.nickname, action.password),
    );
    if (outcome.ok) {
      props.onSession(outcome.value);
      return;
    }
    const after = loginFailed(t, next, action, outcome.error);
    if (after.step === 'password' || after.step === 'nickname') setConfirm('');
    if (after.step === 'nickname') setPassword('');
    setState(after);
  }

  function submit(event: FormEvent): void {
    event.preventDefault();
    let current = state;
    if (current.step === 'confirm') {
      const result = submitLogin(t, typeInto(current, confirm));
      if (result.state.step === 'password') {
        setPassword('');
        setConfirm('');
      }
      if (result.action) void run(result.state, result.action);
      else setState(result.state);
      return;
    }
    // Nickname then password, as the console asks them one after the other; a pilot being created who
    // retypes the password skips the nickname step (the shared dialogue keeps `creating` there).
    if (!(current.step === 'password' && current.nickname === nickname.trim())) {
      const byNickname = submitLogin(t, typeInto({ ...current, step: 'nickname' }, nickname));
      if (byNickname.state.step !== 'password') {
        setState(byNickname.state);
        first.current?.focus();
        return;
      }
      current = byNickname.state;
      setNickname(current.nickname);
    }
    const byPassword = submitLogin(t, typeInto(current, password));
    if (byPassword.action) void run(byPassword.state, byPassword.action);
    else {
      if (byPassword.state.step === 'confirm') setConfirm('');
      setState(byPassword.state);
    }
  }

  const busy = state.step === 'busy';
  const creating = state.creating || state.step === 'confirm';
  return (
    <section className="login" aria-labelledby="login-heading">
      <div className="login-hero" aria-hidden="true">
        <div className="planet" />
      </div>
      <div className="panel login-panel">
        <p className="brand">{w.appName}</p>
        <p className="tagline">{w.tagline}</p>
        <h1 id="login-heading">{t.login.heading}</h1>
        {state.info && (
          <p className="notice info" role="status">
            {state.info}
          </p>
        )}
        {state.step === 'offer-create' ? (
          <div className="offer" role="alertdialog" aria-labelledby="offer-text">
            <p id="offer-text">{w.login.offerCreate(state.nickname)}</p>
            <div className="row-actions">
              <button
                type="button"
                className="button primary"
                ref={createButton}
                onClick={() => setState(answerCreate(state, true))}
              >
                {w.login.create}
              </button>
              <button
                type="button"
                className="button ghost"
                onClick={() => {
                  setPassword('');
                  setState(answerCreate(state, false));
                }}
              >
                {w.login.chooseAnother}
              </button>
            </div>
          </div>
        ) : (
          <form onSubmit={submit} noValidate aria-busy={busy}>
            {state.step === 'confirm' ? (
              <>
                <p className="hint">{t.login.confirmHint}</p>
                <label className="field">
                  <span>{w.login.confirmPassword}</span>
                  <input
                    ref={confirmField}
                    type="password"
                    name="confirm"
                    autoComplete="new-password"
                    value={confirm}
                    onChange={(e) => setConfirm(e.target.value)}
                  />
                </label>
              </>
            ) : (
              <>
                <label className="field">
                  <span>{w.login.nickname}</span>
                  <input
                    ref={first}
                    name="nickname"
                    autoComplete="username"
                    autoCapitalize="off"
                    spellCheck={false}
                    autoFocus
                    maxLength={64}
                    value={nickname}
                    disabled={busy}
                    aria-describedby="nickname-hint"
                    onChange={(e) => setNickname(e.target.value)}
                  />
                  <small id="nickname-hint">{w.login.nicknameHint}</small>
                </label>
                <label className="field">
                  <span>{w.login.password}</span>
                  <input
                    type="password"
                    name="password"
                    autoComplete={creating ? 'new-password' : 'current-password'}
                    value={password}
                    disabled={busy}
                    onChange={(e) => setPassword(e.target.value)}
                  />
                  {creating && <small>{t.login.newPilotPassword}</small>}
                </label>
              </>
            )}
            {state.error && (
              <p className="notice bad" role="alert">
                {state.error}
              </p>
            )}
            {busy && (
              <p className="notice info" role="status">
                {creating ? t.login.creating : t.login.checking}
              </p>
            )}
            <div className="row-actions">
              <button type="submit" className="button primary" disabled={busy}>
                {state.step === 'confirm' ? w.login.create : w.login.signIn}
              </button>
              {state.step === 'confirm' && (
                <button
                  type="button"
                  className="button ghost"
                  onClick={() => {
                    setPassword('');
                    setConfirm('');
                    setState(stepBack(state));
                  }}
                >
                  {w.login.back}
                </button>
              )}
            </div>
          </form>
        )}
      </div>
    </section>
  );
}
