import { type Static, Type } from 'typebox';
import { Money, Timestamp } from './common';
import { PrivatePlayer } from './player';

/**
 * 3..32 characters: letters of any script, each with its combining marks (Devanagari, decomposed
 * Vietnamese), digits, '_' and '-'. The server also refuses invisible characters and names that mix
 * scripts, and two names that look alike (UTS #39 confusable skeletons) cannot both exist.
 */
export const NICKNAME_PATTERN = '^(?:[\\p{L}\\p{N}]\\p{M}*|[_-])+$';
export const Nickname = Type.String({
  minLength: 3,
  maxLength: 32,
  pattern: NICKNAME_PATTERN,
  description: 'Letters of one script (with their marks), digits, _ and -; unique up to look-alikes',
});
export const Password = Type.String({ minLength: 8, maxLength: 128 });

export const Credentials = Type.Object(
  { nickname: Nickname, password: Password },
  { additionalProperties: false, title: 'Credentials' },
);
export type Credentials = Static<typeof Credentials>;

export const SessionResponse = Type.Object(
  {
    token: Type.String(),
    expiresAt: Timestamp,
    player: PrivatePlayer,
    loginBonus: Money,
  },
  { title: 'Session', description: 'A new session: its bearer token and the player' },
);
export type SessionResponse = Static<typeof SessionResponse>;
