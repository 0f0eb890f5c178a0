/**
 * Checks of what a player types, before anything is sent. The rules mirror the API contract
 * (nickname 3..32 letters of any script, digits, "_" and "-"; password 8..128 characters), so a
 * rejected input is explained here instead of coming back as a bare VALIDATION_ERROR.
 */
import type { Messages } from '../i18n/index';

const NICKNAME_CHARS = /^[\p{L}\p{N}_-]+$/u;

/** Length in characters as a person counts them (code points), not UTF-16 units. */
function charLength(text: string): number {
  return [...text].length;
}

/** The message explaining why `nickname` is not acceptable, or null when it is. */
export function nicknameProblem(t: Messages, nickname: string): string | null {
  const length = charLength(nickname);
  if (length < 3 || length > 32) return t.validation.nicknameLength;
  if (!NICKNAME_CHARS.test(nickname)) return t.validation.nicknameChars;
  return null;
}

export function passwordProblem(t: Messages, password: string): string | null {
  const length = charLength(password);
  return length < 8 || length > 128 ? t.validation.passwordLength : null;
}

/** Removes control characters (escape sequences, pasted newlines) from typed text. */
export function stripControl(text: string): string {
  return text.replace(/\p{Cc}/gu, '');
}

/**
 * Text as typed when several keys arrive in one read (a fast typist, key repeat, a busy machine):
 * each backspace (DEL or BS) removes the character before it, as it would have one key at a time.
 */
export function applyBackspaces(text: string): string {
  const kept: string[] = [];
  for (const char of text) {
    if (char === '\u007f' || char === '\b') kept.pop();
    else kept.push(char);
  }
  return kept.join('');
}

export const MAX_SEARCH_LENGTH = 64;

/**
 * The search text after a key press in the shop: printable input is appended (up to the API's 64
 * characters), backspace/delete removes the last character. Returns the text unchanged otherwise.
 */
export function editSearch(
  search: string,
  input: string,
  key: { backspace?: boolean; delete?: boolean },
): string {
  if (key.backspace || key.delete) return [...search].slice(0, -1).join('');
  return [...stripControl(applyBackspaces(search + input))].slice(0, MAX_SEARCH_LENGTH).join('');
}

/** The `search` query parameter for a typed text: trimmed, or undefined when blank. */
export function searchParam(search: string): string | undefined {
  const trimmed = search.trim();
  return trimmed === '' ? undefined : trimmed;
}
