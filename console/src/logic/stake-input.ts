/**
 * One key (or one read of keys) in a stake field. A fast typist's or a pasted "12⏎" reaches the game
 * as one input holding the digits and the line break, with no Enter flag: the digits still go into the
 * field and the line break still sends it, as the same keys typed slowly would.
 */
import { editSearch } from '@metagameplay/game';

export interface StakeFieldKey {
  return?: boolean;
  backspace?: boolean;
  delete?: boolean;
}

export function stakeFieldKey(
  text: string,
  input: string,
  key: StakeFieldKey,
): { text: string; submit: boolean } {
  if (key.return) return { text, submit: true };
  const lineBreak = input.search(/[\r\n]/);
  if (lineBreak === -1) return { text: editSearch(text, input, key), submit: false };
  return { text: editSearch(text, input.slice(0, lineBreak), {}), submit: true };
}
