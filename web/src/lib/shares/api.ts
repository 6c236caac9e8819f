// The sharing calls the browser makes (same-origin /api, like #lib/api.ts), and the pure helpers
// of the sharing pages.
import { ApiError, call, type Answer } from '../api.ts';
import { fileReport } from '../moderation/api.ts';
import type { CreatedShare, FeedbackInput, RecruiterFeedback, ReportReason, ResumeInput, ShareInput, ShareLink, VideoResume } from './types.ts';

export const sharesApi = {
  createResume: (input: ResumeInput) => call<{ resume: VideoResume }>('POST', '/api/resumes', input),
  updateResume: (id: string, input: ResumeInput) => call<{ resume: VideoResume }>('PUT', `/api/resumes/${id}`, input),
  removeResume: (id: string) => call<null>('DELETE', `/api/resumes/${id}`),
  /** The URL (with its secret token) is in this answer only. */
  create: (input: ShareInput) => call<CreatedShare>('POST', '/api/shares', input),
  revoke: (id: string) => call<{ link: ShareLink }>('POST', `/api/shares/${id}/revoke`),
  /** A candidate reporting a recruiter's feedback to the moderators. */
  reportFeedback: (feedbackId: string, reason: ReportReason, details: string) => fileReport('recruiter_feedback', feedbackId, reason, details),
  /** Keeps an answer's recording longer (retention counts again from now). */
  keep: (answerId: string) => call<{ answer: Answer }>('POST', `/api/answers/${answerId}/keep`),
};

/** What the viewer of a link can do (the link's token is the path). */
export const viewerApi = {
  feedback: (token: string, input: FeedbackInput) => call<{ feedback: RecruiterFeedback }>('POST', `/api/s/${encodeURIComponent(token)}/feedback`, input),
  report: (token: string, reason: ReportReason, details: string) => call<unknown>('POST', `/api/s/${encodeURIComponent(token)}/report`, { reason, ...(details.trim() ? { details: details.trim() } : {}) }),
  /**
   * How long the videos have played in this page view (cumulative). `keepalive` lets it finish
   * while the page goes away (sendBeacon cannot send JSON the API's origin check accepts).
   */
  async watched(token: string, viewId: string, watchedMs: number, keepalive = false): Promise<void> {
    let response: Response;
    try {
      response = await fetch(`/api/s/${encodeURIComponent(token)}/views/${viewId}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ watchedMs: Math.round(watchedMs) }), keepalive });
    } catch (error) {
      throw new ApiError(0, 'NETWORK', `Could not reach the server: ${(error as Error).message}`);
    }
    if (!response.ok) throw await ApiError.from(response);
  },
};

export const REPORT_REASONS: { value: ReportReason; label: string }[] = [
  { value: 'inappropriate', label: 'Inappropriate' },
  { value: 'harassment', label: 'Harassment' },
  { value: 'spam', label: 'Spam' },
  { value: 'fake', label: 'Fake or misleading' },
  { value: 'privacy', label: 'Privacy' },
  { value: 'other', label: 'Something else' },
];

export const STATE_LABELS: Record<ShareLink['state'], string> = { active: 'Active', expired: 'Expired', revoked: 'Revoked' };
export const STATE_BADGES: Record<ShareLink['state'], string> = { active: 'good', expired: 'muted', revoked: 'warn' };

/** 95 000 ms → "1:35". */
export function duration(ms: number | null): string {
  if (ms === null) return '–';
  const s = Math.max(0, Math.round(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** Addresses from a textarea: comma, semicolon, space or newline separated, lowercased, each once. */
export function splitEmails(text: string): string[] {
  return [...new Set(text.split(/[\s,;]+/).map((e) => e.trim().toLowerCase()).filter(Boolean))];
}

/** The 1–5 scale a recruiter rates each competency on (share links and one-way interviews alike). */
export const RATING_SCALE = [
  { value: 1, label: '1 — well below the bar' },
  { value: 2, label: '2 — below the bar' },
  { value: 3, label: '3 — meets the bar' },
  { value: 4, label: '4 — above the bar' },
  { value: 5, label: '5 — outstanding' },
] as const;
