/** Password hashing: argon2id (OWASP parameters by default); only the encoded hash is ever stored. */
import { hash, verify } from '@node-rs/argon2';

/** Algorithm.Argon2id (a const enum, which isolated modules cannot read). */
const ARGON2ID = 2;

export interface PasswordHasherOptions {
  memoryCost: number; // KiB
  timeCost: number;
}

export class PasswordHasher {
  constructor(private readonly options: PasswordHasherOptions) {}

  hash(password: string): Promise<string> {
    return hash(password, { algorithm: ARGON2ID, parallelism: 1, ...this.options });
  }

  async verify(encoded: string, password: string): Promise<boolean> {
    try {
      return await verify(encoded, password);
    } catch {
      return false;
    }
  }
}
