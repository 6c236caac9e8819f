// What /api/resumes, /api/shares, /api/recruiter-feedback and /api/s/:token answer with: the
// API's TypeBox schemas in @rehearse/protocol (protocol/src/shares.ts), read as types.
import type { Static } from 'typebox';
import type {
  CreatedShare as CreatedShareSchema,
  FeedbackInput as FeedbackInputSchema,
  ModerationReportInput as ModerationReportInputSchema,
  RecruiterFeedback as RecruiterFeedbackSchema,
  ResumeInput as ResumeInputSchema,
  ShareInput as ShareInputSchema,
  ShareLink as ShareLinkSchema,
  ShareLinkDetail as ShareLinkDetailSchema,
  SharedAnswer as SharedAnswerSchema,
  SharedView as SharedViewSchema,
  VideoResume as VideoResumeSchema,
} from '@rehearse/protocol';

export type ResumeInput = Static<typeof ResumeInputSchema>;
export type VideoResume = Static<typeof VideoResumeSchema>;
export type ShareInput = Static<typeof ShareInputSchema>;
export type ShareKind = ShareInput['kind'];
export type ShareLink = Static<typeof ShareLinkSchema>;
export type ShareLinkDetail = Static<typeof ShareLinkDetailSchema>;
export type ShareView = ShareLinkDetail['views'][number];
export type CreatedShare = Static<typeof CreatedShareSchema>;
export type RecruiterFeedback = Static<typeof RecruiterFeedbackSchema>;
export type FeedbackInput = Static<typeof FeedbackInputSchema>;
export type SharedView = Static<typeof SharedViewSchema>;
export type SharedAnswer = Static<typeof SharedAnswerSchema>;
export type ReportReason = Static<typeof ModerationReportInputSchema>['reason'];
