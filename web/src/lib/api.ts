// The API as the browser sees it: same-origin `/api/…` (proxied by hooks.server.ts), so the
// session cookie goes along and the API's CSRF check sees this site's Origin.
import type { AnswerReport as ReportedAnswer } from '../../../analysis/src/live/types.ts';

export interface Question {
  id: string;
  slug: string;
  text: string;
  framework: string;
  competency: string;
}

export type AnswerStatus = 'created' | 'recording' | 'processing' | 'ready' | 'interrupted' | 'failed';

export interface Answer {
  id: string;
  status: AnswerStatus;
  question: Question;
  createdAt: string;
  startedAt: string | null;
  stoppedAt: string | null;
  recording: { key: string; bytes: number; durationMs: number; container: string; audioCodec: string | null; videoCodec: string | null } | null;
  recordingNote: string | null;
}

/** What the page needs to open the signaling WebSocket (api/src/answers/schemas.ts `Join`). */
export interface JoinInfo {
  mediaUrl: string;
  token: string;
  roomId: string;
  iceServers: RTCIceServer[];
}

/** What the API returns for GET /api/answers/:id/report (the summary is analysis' AnswerSummary). */
export interface AnswerReport {
  answerId: string;
  engine: string;
  durationMs: number;
  words: ReportedAnswer['words'];
  summary: ReportedAnswer['summary'];
  spans: ReportedAnswer['spans'];
  sttError: string | null;
  createdAt: string;
}

export interface Playback {
  url: string;
  expiresAt: string;
  container: string;
}

/** An API error: `code` is stable, `message` is written for people. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;

  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
  }

  /** Reads an API error body (`{ error: { code, message } }`). */
  static async from(response: Response): Promise<ApiError> {
    const body = (await response.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
    return new ApiError(response.status, body?.error?.code ?? 'HTTP_ERROR', body?.error?.message ?? `The server answered ${response.status}`);
  }
}

async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    // POSTs carry a JSON body, which is what the API speaks.
    response = await fetch(path, method === 'GET' ? {} : { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body ?? {}) });
  } catch (error) {
    throw new ApiError(0, 'NETWORK', `Could not reach the server: ${(error as Error).message}`);
  }
  if (!response.ok) throw await ApiError.from(response);
  return (await response.json()) as T;
}

export const answersApi = {
  start: (questionId: string) => call<{ answer: Answer; join: JoinInfo }>('POST', '/api/answers', { questionId }),
  /** A fresh join token after the signaling socket dropped. */
  rejoin: (answerId: string) => call<{ answer: Answer; join: JoinInfo }>('POST', `/api/answers/${answerId}/join`),
  /** Resolves once the recording is complete in storage. */
  stop: (answerId: string) => call<{ answer: Answer }>('POST', `/api/answers/${answerId}/stop`),
  get: (answerId: string) => call<{ answer: Answer }>('GET', `/api/answers/${answerId}`),
  playback: (answerId: string) => call<Playback>('GET', `/api/answers/${answerId}/playback`),
};

/** "Collaboration · STAR", for lists and headings. */
export function questionMeta({ competency, framework }: Pick<Question, 'competency' | 'framework'>): string {
  return `${competency.charAt(0).toUpperCase()}${competency.slice(1)} · ${framework.toUpperCase()}`;
}
