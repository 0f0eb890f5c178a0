/** The login dialogue: validation, the offer to create an unknown pilot, password confirmation. */
import { describe, expect, it } from 'vitest';
import { en } from '../src/i18n/en';
import {
  answerCreate,
  enterText,
  initialLogin,
  type LoginAction,
  loginKey,
  type LoginState,
  loginFailed,
  stepBack,
  submitLogin,
  typeInto,
} from '../src/logic/login-flow';

const t = en;
const apiError = (status: number, code: string) => Object.assign(new Error(code), { status, code });

function typed(state: LoginState, text: string): LoginState {
  return submitLogin(t, typeInto(state, text)).state;
}

describe('login flow', () => {
  it('explains a bad nickname and stays on it', () => {
    const short = typed(initialLogin(), 'ab');
    expect(short.step).toBe('nickname');
    expect(short.error).toBe(t.validation.nicknameLength);
    const spaces = typed(initialLogin(), 'star pilot');
    expect(spaces.error).toBe(t.validation.nicknameChars);
    expect(typed(initialLogin(), 'x'.repeat(33)).error).toBe(t.validation.nicknameLength);
  });

  it('accepts letters of any script, digits, _ and -', () => {
    expect(typed(initialLogin(), 'Пилот_42-x').step).toBe('password');
  });

  it('logs in with a valid nickname and password', () => {
    const atPassword = typed(initialLogin(), '  nova  ');
    expect(atPassword.nickname).toBe('nova');
    expect(typed(atPassword, 'short').error).toBe(t.validation.passwordLength);
    const result = submitLogin(t, typeInto(atPassword, 'long enough'));
    expect(result.state.step).toBe('busy');
    expect(result.action).toEqual({ kind: 'login', nickname: 'nova', password: 'long enough' });
  });

  it('offers to create an unknown pilot, confirms the password, then registers', () => {
    const busy = typed(typed(initialLogin(), 'nova'), 'secret-pass');
    const action = { kind: 'login' as const, nickname: 'nova', password: 'secret-pass' };
    const offer = loginFailed(t, busy, action, apiError(404, 'PLAYER_NOT_FOUND'));
    expect(offer.step).toBe('offer-create');
    const confirm = answerCreate(offer, true);
    expect(confirm.step).toBe('confirm');
    const mismatch = typed(confirm, 'other-pass');
    expect(mismatch.step).toBe('password');
    expect(mismatch.error).toBe(t.login.passwordsDiffer);
    // Choose again, confirm, register.
    const again = typed(mismatch, 'secret-pass');
    expect(again.step).toBe('confirm');
    const result = submitLogin(t, typeInto(again, 'secret-pass'));
    expect(result.action).toEqual({ kind: 'register', nickname: 'nova', password: 'secret-pass' });
  });

  it('declining the offer goes back to the nickname', () => {
    const offer: LoginState = {
      ...initialLogin(),
      step: 'offer-create',
      nickname: 'nova',
      password: 'secret-pass',
    };
    const back = answerCreate(offer, false);
    expect(back.step).toBe('nickname');
    expect(back.password).toBe('');
  });

  it('a wrong password asks for it again with a friendly line', () => {
    const busy = typed(typed(initialLogin(), 'nova'), 'wrong-pass');
    const next = loginFailed(
      t,
      busy,
      { kind: 'login', nickname: 'nova', password: 'wrong-pass' },
      apiError(401, 'INVALID_CREDENTIALS'),
    );
    expect(next.step).toBe('password');
    expect(next.password).toBe('');
    expect(next.error).toBe(t.errors.invalidCredentials);
  });

  it('a nickname taken meanwhile sends the pilot back to choose another', () => {
    const next = loginFailed(
      t,
      initialLogin(),
      { kind: 'register', nickname: 'nova', password: 'x'.repeat(8) },
      apiError(409, 'NICKNAME_TAKEN'),
    );
    expect(next.step).toBe('nickname');
    expect(next.error).toBe(t.errors.nicknameTaken);
  });

  it('strips control characters and submits text pasted with a line break', () => {
    expect(typeInto(initialLogin(), 'no\u001b[Ava').nickname).toBe('no[Ava');
    const result = enterText(t, initialLogin(), 'nova\rgarbage');
    expect(result.state.step).toBe('password');
    expect(result.state.nickname).toBe('nova');
  });

  it('logs in with a pasted "nickname⏎password⏎", whatever the line breaks', () => {
    for (const paste of ['nova\rcorrect horse\r', 'nova\ncorrect horse\n', 'nova\r\ncorrect horse\r\n']) {
      const result = loginKey(t, initialLogin(), paste, {});
      expect(result.action).toEqual({ kind: 'login', nickname: 'nova', password: 'correct horse' });
    }
    // Without the last line break the password waits in its field for Enter.
    const typedOnly = loginKey(t, initialLogin(), 'nova\rcorrect horse', {});
    expect(typedOnly.action).toBeNull();
    expect(typedOnly.state).toMatchObject({ step: 'password', password: 'correct horse' });
    // A bad nickname stops there: the rest is not typed into the wrong field.
    const refused = loginKey(t, initialLogin(), 'x\rcorrect horse\r', {});
    expect(refused.state).toMatchObject({ step: 'nickname', password: '' });
    expect(refused.state.error).toBe(t.validation.nicknameLength);
  });

  it('applies backspaces that arrive in one read with other keys', () => {
    // "no" typed, then two backspaces and the real name read together, then Enter.
    const result = loginKey(t, typed(initialLogin(), 'no'), '\u007f\u007fnova\r', {});
    expect(result.state.step).toBe('password');
    expect(result.state.nickname).toBe('nova');
    expect(enterText(t, initialLogin(), 'ab\u007f\u007f\u007fc').state.nickname).toBe('c');
  });

  it('Esc steps back', () => {
    const atPassword = typed(initialLogin(), 'nova');
    expect(stepBack(atPassword).step).toBe('nickname');
    expect(stepBack(initialLogin()).step).toBe('nickname');
  });

  it('drives the whole dialogue key by key, each key seeing the previous one', () => {
    let state = initialLogin();
    let action: LoginAction | null = null;
    const press = (input: string, key: Parameters<typeof loginKey>[3] = {}) => {
      const result = loginKey(t, state, input, key);
      state = result.state;
      action = result.action ?? action;
    };
    for (const char of 'novaa') press(char);
    press('', { backspace: true });
    press('', { leftArrow: true });
    press('', { return: true });
    expect(state.step).toBe('password');
    for (const char of 'hunter2!!') press(char);
    press('', { return: true });
    expect(action).toEqual({ kind: 'login', nickname: 'nova', password: 'hunter2!!' });
    expect(loginKey(t, state, 'x', {}).state).toBe(state);
  });
});
