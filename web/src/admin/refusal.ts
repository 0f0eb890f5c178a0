/** How the console words a failed call: the API's own code and message (operators need the exact reason). */
import { asApiFailure, failureMessage, type Messages } from '@metagameplay/game';
import { type AdminMessages } from '@metagameplay/game/admin';

export function refusal(c: AdminMessages, t: Messages, error: unknown): string {
  const api = asApiFailure(error);
  const message = (error as { message?: unknown } | null)?.message;
  if (api !== null && typeof message === 'string' && message !== '') {
    return c.refused(api.status, api.code, message);
  }
  return failureMessage(t, error);
}
