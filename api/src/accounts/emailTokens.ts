// Tokens sent by mail: the link carries the token, the database only its SHA-256. A token is
// used at most once (the use is one conditional update) and expires.
import { encodeHexLowerCase } from '@oslojs/encoding';
import type { PrismaClient } from '@rehearse/db';
import { hashSecret, randomToken } from '../auth/sessions.ts';

export type EmailTokenPurpose = 'verify_email' | 'reset_password';

export const EMAIL_TOKEN_TTL_MS: Record<EmailTokenPurpose, number> = {
  verify_email: 48 * 60 * 60 * 1000,
  reset_password: 60 * 60 * 1000,
};

const hashOf = (token: string) => encodeHexLowerCase(hashSecret(token));

export async function createEmailToken(db: PrismaClient, { userId, email, purpose }: { userId: string; email: string; purpose: EmailTokenPurpose }): Promise<string> {
  const token = randomToken();
  await db.emailToken.create({ data: { tokenHash: hashOf(token), userId, email, purpose, expiresAt: new Date(Date.now() + EMAIL_TOKEN_TTL_MS[purpose]) } });
  return token;
}

/** Uses the token: its user and address, or null if it is unknown, used, expired or for something else. */
export async function useEmailToken(db: PrismaClient, token: string, purpose: EmailTokenPurpose): Promise<{ userId: string; email: string } | null> {
  if (!/^[a-z2-7]{16,64}$/.test(token)) return null;
  const tokenHash = hashOf(token);
  const now = new Date();
  const { count } = await db.emailToken.updateMany({ where: { tokenHash, purpose, usedAt: null, expiresAt: { gt: now } }, data: { usedAt: now } });
  if (count !== 1) return null;
  const row = await db.emailToken.findUniqueOrThrow({ where: { tokenHash } });
  return { userId: row.userId, email: row.email };
}
