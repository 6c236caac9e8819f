// What the API asks of the media server: join tokens for a room, and finishing a recording.
import { createHmac } from 'node:crypto';
import type { Config } from '@rehearse/core/config';
import { signMediaToken, type JoinClaims } from '@rehearse/core/media-token';
import { HttpError } from '../plugins/errors.ts';

/** What a page needs to open the signaling WebSocket and join. */
export async function joinInfo(config: Config, claims: Omit<JoinClaims, 'purpose'>) {
  const secret = config.media.tokenSecret;
  if (!secret) throw new Error('MEDIA_TOKEN_SECRET is not configured');
  const token = await signMediaToken({ purpose: 'join', ...claims }, secret);
  const turn = turnCredential(config.media.turn, claims.userId);
  return { mediaUrl: claims.mediaUrl, token, roomId: claims.roomId, iceServers: [...config.media.iceServers, ...(turn ? [turn] : [])], iceTransportPolicy: config.media.iceTransportPolicy };
}

/**
 * A short-lived TURN credential (the TURN REST API that coturn's `use-auth-secret` checks): the
 * username is "<expiry in Unix seconds>:<user id>", the password base64(HMAC-SHA1(secret, username)).
 * The TURN server needs only the shared secret; nothing is stored.
 */
export function turnCredential(turn: Config['media']['turn'], userId: string, now = Date.now()) {
  if (!turn.secret || turn.urls.length === 0) return null;
  const username = `${Math.floor(now / 1000) + turn.ttlSeconds}:${userId}`;
  return { urls: turn.urls, username, credential: createHmac('sha1', turn.secret).update(username).digest('base64') };
}

/** Asks the media node at `internalUrl` to finish an answer's recording (it writes the row); resolves when it is in S3. */
export async function stopRecording(config: Config, internalUrl: string, answerId: string): Promise<void> {
  const token = await signMediaToken({ purpose: 'internal' }, config.media.tokenSecret!, { ttlSeconds: 60 });
  let response: Response;
  try {
    response = await fetch(new URL(`/internal/answers/${answerId}/stop`, internalUrl), {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    throw new HttpError(502, 'MEDIA_UNAVAILABLE', `The media server did not answer: ${(error as Error).message}`);
  }
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
    throw new HttpError(502, 'MEDIA_STOP_FAILED', body?.error?.message ?? `The media server answered ${response.status}`);
  }
}
