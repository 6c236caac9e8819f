// A booked call's API, as the call and summary pages use it (same-origin /api, like lib/api.ts).
import type { Static } from 'typebox';
import type { CallJoin as CallJoinSchema, CallMarker as CallMarkerSchema, CallSummary as CallSummarySchema } from '@rehearse/protocol';
import { call } from '../api.ts';

export type CallRole = Static<typeof CallJoinSchema>['role'];
export type CallJoin = Static<typeof CallJoinSchema>;
export type CallMarker = Static<typeof CallMarkerSchema>;
export type CallSummary = Static<typeof CallSummarySchema>;

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
