// A booked call's API, as the call and summary pages use it (same-origin /api, like lib/api.ts).
import { call, type JoinInfo } from '../api.ts';

export type CallRole = 'candidate' | 'mentor';

export interface CallJoin {
  join: JoinInfo;
  role: CallRole;
  recordingAnswerId: string;
  candidateAnswerId: string;
  endsAt: string;
  closesAt: string;
}

export interface CallMarker {
  id: string;
  atMs: number;
  note: string;
  createdAt: string;
}

export interface CallSummary {
  role: CallRole;
  booking: { id: string; status: string; startsAt: string; endsAt: string; minutes: number; mentor: { name: string }; seeker: { name: string }; reviewed: boolean };
  mentorNotes: string;
  seekerCoaching: boolean;
  recordings: { role: CallRole; status: string; durationMs: number | null; note: string | null; url: string | null; container: string; startedAt: string | null }[];
  markers: CallMarker[];
  transcript: { text: string; start: number; end: number }[];
  metrics: { wpm: number | null; fillers: number; pauses: number; starHeard: string[] } | null;
}

export const callsApi = {
  /** A join token for my side of the call (again after a dropped connection); consent is required. */
  join: (bookingId: string, consent: boolean, coaching?: boolean) => call<CallJoin>('POST', `/api/calls/${bookingId}/join`, { consent, ...(coaching === undefined ? {} : { coaching }) }),
  mark: (bookingId: string, note: string) => call<{ marker: CallMarker }>('POST', `/api/calls/${bookingId}/markers`, { note }),
  setNotes: (bookingId: string, notes: string) => call<null>('PUT', `/api/calls/${bookingId}/notes`, { notes }),
  end: (bookingId: string) => call<null>('POST', `/api/calls/${bookingId}/end`),
  summary: (bookingId: string) => call<CallSummary>('GET', `/api/calls/${bookingId}/summary`),
};

/** 1:05 from milliseconds. */
export function clockOf(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
