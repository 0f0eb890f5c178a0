/** Times in the console: UTC "YYYY-MM-DD HH:MM" as the rest of the game shows them, or a dash. */
import { formatWhen } from '@metagameplay/game';

export function when(iso: string | null | undefined): string {
  return iso ? `${formatWhen(iso)} UTC` : '—';
}
