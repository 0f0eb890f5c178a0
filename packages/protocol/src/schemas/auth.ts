import { type Static, Type } from '@sinclair/typebox';
import { Money, Timestamp } from './common';
import { PrivatePlayer } from './player';

/** 3..32 letters of any script, digits, '_' and '-'. Uniqueness is case-insensitive after NFKC. */
export const NICKNAME_PATTERN = '^[\\p{L}\\p{N}_-]{3,32}$';
export const Nickname = Type.String({ minLength: 3, maxLength: 32, pattern: NICKNAME_PATTERN });
export const Password = Type.String({ minLength: 8, maxLength: 128 });

export const Credentials = Type.Object(
  { nickname: Nickname, password: Password },
  { additionalProperties: false },
);
export type Credentials = Static<typeof Credentials>;

export const SessionResponse = Type.Object({
  token: Type.String(),
  expiresAt: Timestamp,
  player: PrivatePlayer,
  loginBonus: Money,
});
export type SessionResponse = Static<typeof SessionResponse>;
