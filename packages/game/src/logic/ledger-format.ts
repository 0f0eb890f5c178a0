/** How ledger rows read: signed amounts ("+12.00", "-1500.75") and a compact UTC time. */
import { formatCredits } from '@metagameplay/protocol';

export function signedCredits(units: number): string {
  return units > 0 ? `+${formatCredits(units)}` : formatCredits(units);
}

/** "2026-11-29 12:00" from an ISO timestamp (UTC, as the server sends it); the raw text if unparsable. */
export function formatWhen(iso: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso);
  return match ? `${match[1]} ${match[2]}` : iso;
}
