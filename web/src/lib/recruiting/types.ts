// What /api/me/discovery, /api/discovery, /api/interviews and /api/interview-invites answer with:
// the API's TypeBox schemas in @rehearse/protocol (protocol/src/recruiting.ts), read as types.
import type { Static } from 'typebox';
import type {
  CandidateInterview as CandidateInterviewSchema,
  ContactRequest as ContactRequestSchema,
  DiscoveredCandidate as DiscoveredCandidateSchema,
  DiscoveredCandidateDetail as DiscoveredCandidateDetailSchema,
  DiscoveryProfile as DiscoveryProfileSchema,
  DiscoveryProfileInput as DiscoveryProfileInputSchema,
  InterviewInput as InterviewInputSchema,
  InterviewSubmission as InterviewSubmissionSchema,
  RecruiterInterview as RecruiterInterviewSchema,
} from '@rehearse/protocol';

export type DiscoveryProfile = Static<typeof DiscoveryProfileSchema>;
export type DiscoveryProfileInput = Static<typeof DiscoveryProfileInputSchema>;
export type DiscoveredCandidate = Static<typeof DiscoveredCandidateSchema>;
export type DiscoveredCandidateDetail = Static<typeof DiscoveredCandidateDetailSchema>;
export type ContactRequest = Static<typeof ContactRequestSchema>;
export type ContactStatus = ContactRequest['status'];
export type InterviewInput = Static<typeof InterviewInputSchema>;
export type RecruiterInterview = Static<typeof RecruiterInterviewSchema>;
export type InterviewSubmission = Static<typeof InterviewSubmissionSchema>;
export type CandidateInterview = Static<typeof CandidateInterviewSchema>;
export type InterviewItem = CandidateInterview['questions'][number];
