/**
 * The login dialogue as a state machine: nickname → password → log in; an unknown nickname
 * (PLAYER_NOT_FOUND) offers to create the pilot, which asks the password once more before registering.
 * Pure: `submit` returns the next state and, when it is time to call the server, an `action`.
 */
import type { Messages } from '../i18n/index';
import { failureCode, failureMessage } from './failure';
import { confirmAnswer } from './trade';
import { applyBackspaces, nicknameProblem, passwordProblem, stripControl } from './validation';

export type LoginStep = 'nickname' | 'password' | 'offer-create' | 'confirm' | 'busy';

export interface LoginState {
  step: LoginStep;
  /** Whether the password being typed is for a new pilot. */
  creating: boolean;
  nickname: string;
  password: string;
  confirm: string;
  error: string | null;
  info: string | null;
}

export type LoginAction = { kind: 'login' | 'register'; nickname: string; password: string };

export interface LoginStepResult {
  state: LoginState;
  action: LoginAction | null;
}

export function initialLogin(info: string | null = null): LoginState {
  return { step: 'nickname', creating: false, nickname: '', password: '', confirm: '', error: null, info };
}

/** Typing into the field of the current step; control characters never get in. */
export function typeInto(state: LoginState, value: string): LoginState {
  const clean = stripControl(value);
  switch (state.step) {
    case 'nickname':
      return { ...state, nickname: clean, error: null };
    case 'password':
      return { ...state, password: clean, error: null };
    case 'confirm':
      return { ...state, confirm: clean, error: null };
    default:
      return state;
  }
}

/** Enter pressed on the current step. */
export function submitLogin(t: Messages, state: LoginState): LoginStepResult {
  const none = (next: LoginState): LoginStepResult => ({ state: next, action: null });
  switch (state.step) {
    case 'nickname': {
      const nickname = state.nickname.trim();
      const problem = nicknameProblem(t, nickname);
      if (problem) return none({ ...state, error: problem });
      return none({
        ...state,
        nickname,
        step: 'password',
        creating: false,
        password: '',
        error: null,
        info: null,
      });
    }
    case 'password': {
      const problem = passwordProblem(t, state.password);
      if (problem) return none({ ...state, error: problem });
      if (state.creating) return none({ ...state, step: 'confirm', confirm: '', error: null });
      return {
        state: { ...state, step: 'busy', error: null },
        action: { kind: 'login', nickname: state.nickname, password: state.password },
      };
    }
    case 'confirm': {
      if (state.confirm !== state.password) {
        return none({
          ...state,
          step: 'password',
          password: '',
          confirm: '',
          error: t.login.passwordsDiffer,
        });
      }
      return {
        state: { ...state, step: 'busy', error: null },
        action: { kind: 'register', nickname: state.nickname, password: state.password },
      };
    }
    default:
      return none(state);
  }
}

/** Answer to "create this pilot?": yes goes on to confirm the password already typed. */
export function answerCreate(state: LoginState, yes: boolean): LoginState {
  if (state.step !== 'offer-create') return state;
  return yes
    ? { ...state, step: 'confirm', creating: true, confirm: '', error: null }
    : { ...initialLogin(), nickname: state.nickname };
}

/** Esc: one step back. */
export function stepBack(state: LoginState): LoginState {
  switch (state.step) {
    case 'password':
    case 'offer-create':
      return { ...state, step: 'nickname', password: '', confirm: '', creating: false, error: null };
    case 'confirm':
      return { ...state, step: 'password', password: '', confirm: '', error: null };
    default:
      return state;
  }
}

/** The server refused the login or registration: decide where the dialogue goes next. */
export function loginFailed(t: Messages, state: LoginState, action: LoginAction, error: unknown): LoginState {
  const code = failureCode(error);
  if (action.kind === 'login' && code === 'PLAYER_NOT_FOUND') {
    return { ...state, step: 'offer-create', error: null };
  }
  const message = failureMessage(t, error);
  if (code === 'NICKNAME_TAKEN') {
    return { ...initialLogin(), nickname: state.nickname, error: message };
  }
  return { ...state, step: 'password', password: '', confirm: '', error: message };
}

/**
 * A change of the field's text. Pasted text (or keys arriving in one chunk) may carry line breaks:
 * the text before each is taken and submitted, as if Enter had been pressed after it, and what follows
 * goes into the next step's field ("nickname⏎password⏎" logs in).
 */
export function enterText(t: Messages, state: LoginState, typed: string): LoginStepResult {
  const value = applyBackspaces(typed);
  const lineBreak = value.search(/[\r\n]/);
  if (lineBreak < 0) return { state: typeInto(state, value), action: null };
  const submitted = submitLogin(t, typeInto(state, value.slice(0, lineBreak)));
  // \r\n is one line break.
  const rest = value.slice(value.startsWith('\r\n', lineBreak) ? lineBreak + 2 : lineBreak + 1);
  const next = submitted.state;
  const typing = next.step === 'nickname' || next.step === 'password' || next.step === 'confirm';
  if (rest === '' || submitted.action !== null || next.error !== null || !typing) return submitted;
  return enterText(t, next, fieldValue(next) + rest);
}

export interface FieldKey {
  return?: boolean;
  escape?: boolean;
  backspace?: boolean;
  delete?: boolean;
  ctrl?: boolean;
  meta?: boolean;
  tab?: boolean;
  upArrow?: boolean;
  downArrow?: boolean;
  leftArrow?: boolean;
  rightArrow?: boolean;
  pageUp?: boolean;
  pageDown?: boolean;
}

/** The text of the field the current step edits. */
function fieldValue(state: LoginState): string {
  return state.step === 'password'
    ? state.password
    : state.step === 'confirm'
      ? state.confirm
      : state.nickname;
}

/** One key press in the login dialogue, whatever the step. */
export function loginKey(t: Messages, state: LoginState, input: string, key: FieldKey): LoginStepResult {
  const none = (next: LoginState): LoginStepResult => ({ state: next, action: null });
  if (state.step === 'busy') return none(state);
  if (state.step === 'offer-create') {
    const answer = confirmAnswer(input, key);
    return none(answer === null ? state : answerCreate(state, answer === 'yes'));
  }
  if (key.escape) return none(stepBack(state));
  if (key.return) return submitLogin(t, state);
  if (key.backspace || key.delete) return none(typeInto(state, [...fieldValue(state)].slice(0, -1).join('')));
  if (key.ctrl || key.meta || key.tab || key.upArrow || key.downArrow || key.leftArrow || key.rightArrow) {
    return none(state);
  }
  if (key.pageUp || key.pageDown || input === '') return none(state);
  return enterText(t, state, fieldValue(state) + input);
}
