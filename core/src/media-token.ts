// Short-lived signed tokens: the API issues them, media servers check them. A token names the
// media server it is for, so media nodes can live apart from the API.
import { randomUUID } from 'node:crypto';
import { SignJWT, jwtVerify, errors } from 'jose';

export type MediaRole = 'candidate' | 'mentor';

/** Lets one user into one room with one role, on one media server. */
export interface JoinClaims {
  purpose: 'join';
  userId: string;
  roomId: string;
  role: MediaRole;
  /** The answer this room records, if any. */
  answerId: string | null;
  /** The public signaling URL of the media server the token is for. */
  mediaUrl: string;
  /** In a booked mentor call: the booking (presence is recorded on it), whether this party's speech is analysed, and whose live coaching this party sees (the mentor: the candidate's recording). */
  call?: { bookingId: string; analyse: boolean; watchAnswerId: string | null } | null;
  /**
   * A one-way interview's answer: the recruiter's rules, which the media server holds to whatever
   * the page does — whether the candidate gets the live coaching (still analysed for the report),
   * and how long the recording may run before the server stops it.
   */
  interview?: { liveCoaching: boolean; maxRecordingMs: number } | null;
}

/** A call from the API to a media server's internal endpoints. */
export interface InternalClaims {
  purpose: 'internal';
}

export type MediaClaims = JoinClaims | InternalClaims;

/** What every verified token also carries: its id (for single use) and expiry (epoch seconds). */
export interface TokenMeta {
  jti: string;
  exp: number;
}

export class MediaTokenError extends Error {
  readonly code: 'TOKEN_EXPIRED' | 'TOKEN_INVALID';

  constructor(code: 'TOKEN_EXPIRED' | 'TOKEN_INVALID', message: string) {
    super(message);
    this.name = 'MediaTokenError';
    this.code = code;
  }
}

const ISSUER = 'rehearse-api';
const AUDIENCE = 'rehearse-media';

function key(secret: string): Uint8Array {
  return new TextEncoder().encode(secret);
}

export async function signMediaToken(claims: MediaClaims, secret: string, { ttlSeconds = 120 }: { ttlSeconds?: number } = {}): Promise<string> {
  return new SignJWT({ ...claims })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    // Each token has its own id, so a media server can accept a join token once only.
    .setJti(randomUUID())
    .setExpirationTime(`${ttlSeconds}s`)
    .sign(key(secret));
}

/** Verifies signature, audience and expiry; throws MediaTokenError with a stable code otherwise. */
export async function verifyMediaToken<P extends MediaClaims['purpose']>(token: string, secret: string, purpose: P): Promise<Extract<MediaClaims, { purpose: P }> & TokenMeta> {
  try {
    const { payload } = await jwtVerify(token, key(secret), { issuer: ISSUER, audience: AUDIENCE, algorithms: ['HS256'] });
    if (payload.purpose !== purpose) throw new MediaTokenError('TOKEN_INVALID', `token is not for ${purpose}`);
    if (typeof payload.jti !== 'string' || typeof payload.exp !== 'number') throw new MediaTokenError('TOKEN_INVALID', 'token has no id or expiry');
    return payload as unknown as Extract<MediaClaims, { purpose: P }> & TokenMeta;
  } catch (error) {
    if (error instanceof MediaTokenError) throw error;
    if (error instanceof errors.JWTExpired) throw new MediaTokenError('TOKEN_EXPIRED', 'token expired; ask the API for a new one');
    throw new MediaTokenError('TOKEN_INVALID', 'token signature or claims are not valid');
  }
}
