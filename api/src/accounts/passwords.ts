// Passwords: argon2id (OWASP's first choice) through @node-rs/argon2, with its default cost
// (19 MiB, 2 passes). Length is the rule that matters (NIST SP 800-63B): 10 to 200 characters,
// nothing about symbols.
import { hash, verify } from '@node-rs/argon2';

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 200;

/** Algorithm.Argon2id in @node-rs/argon2 (a const enum, which type stripping cannot inline). */
const ARGON2ID = 2;

export function hashPassword(password: string): Promise<string> {
  return hash(password, { algorithm: ARGON2ID });
}

/** A hash to verify against when the account does not exist, so both answers take as long. */
let decoy: Promise<string> | null = null;

export async function verifyPassword(storedHash: string | null, password: string): Promise<boolean> {
  if (storedHash === null) {
    decoy ??= hashPassword('not the password of anyone');
    await verify(await decoy, password);
    return false;
  }
  try {
    return await verify(storedHash, password);
  } catch {
    return false;
  }
}
