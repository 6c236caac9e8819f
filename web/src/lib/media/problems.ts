// What went wrong, in words a person can act on, with a stable kind the page (and tests) can read.
import { ApiError } from '../api.ts';
import { MediaAccessError, type MediaAccessProblem } from './devices.ts';
import { MediaConnectionError } from './errors.ts';
import { SignalingError } from './SignalingClient.ts';

export interface Problem {
  kind: MediaAccessProblem | 'api' | 'signaling' | 'network' | 'recording' | 'other';
  message: string;
}

const signalingHints: Partial<Record<SignalingError['code'], string>> = {
  TOKEN_EXPIRED: 'the session to the media server expired; press Try again',
  TOKEN_INVALID: 'the media server did not accept this session; press Try again',
  WRONG_MEDIA_SERVER: 'this answer belongs to another media server',
  UNSUPPORTED_CODEC: 'this browser cannot send audio or video in a format the server records',
  ROOM_CLOSED: 'the media server closed this answer\'s room',
  SOCKET_CLOSED: 'the connection to the media server closed',
  TIMEOUT: 'the media server did not answer in time',
};

export function describeProblem(error: unknown): Problem {
  if (error instanceof MediaAccessError) return { kind: error.problem, message: error.message };
  if (error instanceof ApiError) return { kind: 'api', message: error.message };
  if (error instanceof MediaConnectionError) return { kind: 'network', message: error.message };
  if (error instanceof SignalingError) {
    const hint = signalingHints[error.code];
    return { kind: 'signaling', message: `Media server error ${error.code}: ${error.message}${hint ? ` (${hint})` : ''}` };
  }
  return { kind: 'other', message: (error as Error)?.message ?? String(error) };
}

/** 75_300 → "1:15". */
export function formatElapsed(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}
