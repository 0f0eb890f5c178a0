/** The stake field's keys: typed one by one, or several in one read (a fast typist, a paste). */
import { describe, expect, it } from 'vitest';
import { stakeFieldKey } from '../src/logic/stake-input';

describe('stake field keys', () => {
  it('edits the text and sends it on Enter', () => {
    expect(stakeFieldKey('1', '2', {})).toEqual({ text: '12', submit: false });
    expect(stakeFieldKey('12', '', { backspace: true })).toEqual({ text: '1', submit: false });
    expect(stakeFieldKey('12', '\r', { return: true })).toEqual({ text: '12', submit: true });
  });

  it('sends the field when the digits and the line break come in one read', () => {
    expect(stakeFieldKey('', '12.5\r', {})).toEqual({ text: '12.5', submit: true });
    expect(stakeFieldKey('1', '0\n', {})).toEqual({ text: '10', submit: true });
    // What follows the line break is not typed into the sent field.
    expect(stakeFieldKey('', '3\r9', {})).toEqual({ text: '3', submit: true });
  });
});
