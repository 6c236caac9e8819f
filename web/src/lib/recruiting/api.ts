// The recruiting calls the browser makes (same-origin /api, like #lib/api.ts), and the pure
// helpers of the discovery and one-way interview pages.
import { ApiError, call } from '../api.ts';
import type { FeedbackInput, RecruiterFeedback } from '../shares/types.ts';
import type { CandidateInterview, ContactRequest, DiscoveryProfile, DiscoveryProfileInput, InterviewInput, RecruiterInterview } from './types.ts';

export const discoveryApi = {
  setProfile: (input: DiscoveryProfileInput) => call<{ profile: DiscoveryProfile }>('PUT', '/api/me/discovery', input),
  accept: (requestId: string) => call<{ request: ContactRequest }>('POST', `/api/me/contact-requests/${requestId}/accept`),
  decline: (requestId: string) => call<{ request: ContactRequest }>('POST', `/api/me/contact-requests/${requestId}/decline`),
  /** A recruiter asking a found candidate to get in touch (once: 409 ALREADY_REQUESTED after). */
  contact: (candidateId: string, message: string) => call<{ request: ContactRequest }>('POST', `/api/discovery/${candidateId}/contact`, { message }),
};

export const interviewsApi = {
  create: (input: InterviewInput) => call<{ interview: RecruiterInterview }>('POST', '/api/interviews', input),
  feedback: (interviewId: string, inviteId: string, input: FeedbackInput) => call<{ feedback: RecruiterFeedback }>('POST', `/api/interviews/${interviewId}/invites/${inviteId}/feedback`, input),
  invitation: (inviteId: string) => call<{ invitation: CandidateInterview }>('GET', `/api/interview-invites/${inviteId}`),
  submit: (inviteId: string) => call<{ invitation: CandidateInterview }>('POST', `/api/interview-invites/${inviteId}/submit`),
};

/** A failed call as the page shows it: the message for people, the stable code for tests and support. */
export interface Failure {
  message: string;
  code: string;
}
export function failureOf(cause: unknown): Failure {
  return cause instanceof ApiError ? { message: cause.message, code: cause.code } : { message: String(cause), code: 'ERROR' };
}

/** "Backend engineer, SRE ,, " → ["Backend engineer", "SRE"] (the API lower-cases and dedupes). */
export function splitTags(text: string): string[] {
  return [...new Set(text.split(',').map((t) => t.trim()).filter(Boolean))];
}

/** A datetime-local value ("2026-12-24T17:00", the browser's zone) as an ISO instant; null if not a time. */
export function localToIso(value: string): string | null {
  if (!value) return null;
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? null : at.toISOString();
}

/** An instant as a datetime-local value in the browser's zone. */
export function isoToLocal(at: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T${pad(at.getHours())}:${pad(at.getMinutes())}`;
}

/** What a recruiter rates a one-way interview's submission on. */
export const INTERVIEW_COMPETENCIES = ['communication', 'problem-solving', 'ownership'];

export const CONTACT_LABELS: Record<ContactRequest['status'], string> = { pending: 'Waiting for an answer', accepted: 'Accepted', declined: 'Declined' };
export const CONTACT_BADGES: Record<ContactRequest['status'], string> = { pending: 'muted', accepted: 'good', declined: 'warn' };

/** 90 → "1:30"; 45 → "45 s". */
export function seconds(total: number): string {
  if (total < 60) return `${total} s`;
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')} min`;
}
