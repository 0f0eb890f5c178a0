/** Ledger types as the console names them: the game's own names, and the console's two new types. */
import type { Messages } from '@metagameplay/game';
import type { AdminMessages } from '@metagameplay/game/admin';

export function ledgerTypeLabel(t: Messages, c: AdminMessages, type: string): string {
  return (t.history.types as Record<string, string>)[type] ?? c.extraLedgerTypes[type] ?? type;
}
