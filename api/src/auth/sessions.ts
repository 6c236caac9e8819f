// Sessions after Lucia's current guide: the cookie holds `id.secret`; the database stores only
// SHA-256(secret), so a leaked table cannot be replayed; comparison is constant-time.
import { sha256 } from '@oslojs/crypto/sha2';
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import type { PrismaClient } from '@rehearse/db';

export const SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000;
/** Sliding expiry is written at most this often, not on every request. */
const REFRESH_INTERVAL_MS = 60 * 60 * 1000;

export interface SessionUser {
  id: string;
  email: string | null;
  emailVerified: boolean;
  name: string;
  roles: string[];
}

interface SessionRow {
  secret_hash: Uint8Array;
  expires_at: Date;
  user_id: string;
  email: string | null;
  email_verified_at: Date | null;
  name: string;
  roles: string[];
}

export interface ValidSession {
  id: string;
  expiresAt: Date;
  user: SessionUser;
}

/** 160 random bits, base32: session ids and secrets, mailed tokens. */
export function randomToken(): string {
  const bytes = new Uint8Array(20);
  crypto.getRandomValues(bytes);
  return encodeBase32LowerCaseNoPadding(bytes);
}

export function hashSecret(secret: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(sha256(new TextEncoder().encode(secret)));
}

export async function createSession(db: PrismaClient, userId: string, meta: { userAgent: string; ipAddress: string }): Promise<{ token: string; expiresAt: Date }> {
  const id = randomToken();
  const secret = randomToken();
  const expiresAt = new Date(Date.now() + SESSION_TTL_MS);
  await db.session.create({ data: { id, secretHash: hashSecret(secret), userId, expiresAt, userAgent: meta.userAgent.slice(0, 500), ipAddress: meta.ipAddress } });
  return { token: `${id}.${secret}`, expiresAt };
}

/** The session and its user, or null for anything invalid, expired, revoked or of a suspended account. Never throws on bad input. */
export async function validateSessionToken(db: PrismaClient, token: string): Promise<ValidSession | null> {
  const [id, secret, extra] = token.split('.');
  if (!id || !secret || extra !== undefined || id.length > 64 || secret.length > 64) return null;
  // Every authenticated request starts here: one round trip, the roles aggregated in SQL.
  const [row] = await db.$queryRaw<SessionRow[]>`
    SELECT s.secret_hash, s.expires_at, u.id AS user_id, u.email, u.email_verified_at, u.name,
           COALESCE(array_agg(r.role::text) FILTER (WHERE r.role IS NOT NULL), '{}') AS roles
    FROM sessions s JOIN users u ON u.id = s.user_id LEFT JOIN user_roles r ON r.user_id = u.id
    WHERE s.id = ${id} AND u.suspended_at IS NULL
    GROUP BY s.id, u.id`;
  if (!row) return null;
  if (!constantTimeEqual(hashSecret(secret), new Uint8Array(row.secret_hash))) return null;
  const now = Date.now();
  if (row.expires_at.getTime() <= now) {
    await db.session.deleteMany({ where: { id } });
    return null;
  }
  let expiresAt = row.expires_at;
  if (expiresAt.getTime() - now < SESSION_TTL_MS - REFRESH_INTERVAL_MS) {
    expiresAt = new Date(now + SESSION_TTL_MS);
    await db.session.update({ where: { id }, data: { expiresAt } });
  }
  return {
    id,
    expiresAt,
    user: { id: row.user_id, email: row.email, emailVerified: row.email_verified_at !== null, name: row.name, roles: row.roles },
  };
}

export async function invalidateSession(db: PrismaClient, sessionId: string): Promise<void> {
  await db.session.deleteMany({ where: { id: sessionId } });
}
