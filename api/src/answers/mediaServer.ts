// What the API asks of the media server: join tokens for a room, and finishing a recording.
import type { Config } from '@rehearse/core/config';
import { signMediaToken, type JoinClaims } from '@rehearse/core/media-token';
import { HttpError } from '../plugins/errors.ts';

/** What a page needs to open the signaling WebSocket and join. */
export async function joinInfo(config: Config, claims: Omit<JoinClaims, 'purpose'>) {
  const secret = config.media.tokenSecret;
  if (!secret) throw new Error('MEDIA_TOKEN_SECRET is not configured');
  const token = await signMediaToken({ purpose: 'join', ...claims }, secret);
  return { mediaUrl: claims.mediaUrl, token, roomId: claims.roomId, iceServers: config.media.iceServers };
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
