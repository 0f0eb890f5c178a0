/** A refused battle move in the game's words: the battle codes first, then the shared failure messages. */
import { asApiFailure, failureMessage, type Messages, type WebMessages } from '@metagameplay/game';

export function battleFailureMessage(t: Messages, w: WebMessages, error: unknown): string {
  const code = asApiFailure(error)?.code;
  if (code !== undefined && code in w.battle.errors) {
    return w.battle.errors[code as keyof WebMessages['battle']['errors']];
  }
  return failureMessage(t, error);
}
