// What candidates share with recruiters (api/src/shares): video resumes, share links, what a
// viewer of a link is shown, their views and the recruiters' feedback.
import { Type } from 'typebox';

const Email = Type.String({ format: 'email', maxLength: 254 });
/** Links live a day to a quarter; the candidate picks. */
export const SHARE_MAX_DAYS = 90;
export const SHARE_MAX_RECIPIENTS = 20;
export const RESUME_MAX_ANSWERS = 10;

export const ResumeInput = Type.Object(
  {
    headline: Type.String({ maxLength: 140 }),
    profile: Type.String({ maxLength: 2000 }),
    answerIds: Type.Array(Type.String({ format: 'uuid' }), { minItems: 1, maxItems: RESUME_MAX_ANSWERS, uniqueItems: true }),
  },
  { additionalProperties: false },
);

const AnswerRef = Type.Object({ id: Type.String(), question: Type.String(), durationMs: Type.Union([Type.Integer(), Type.Null()]), createdAt: Type.String() });

export const VideoResume = Type.Object({
  id: Type.String(),
  headline: Type.String(),
  profile: Type.String(),
  answers: Type.Array(AnswerRef),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
export const VideoResumeBody = Type.Object({ resume: VideoResume });

export const Include = Type.Object(
  { metrics: Type.Optional(Type.Boolean()), feedback: Type.Optional(Type.Boolean()), originality: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);

export const ShareInput = Type.Object(
  {
    kind: Type.Union([Type.Literal('answer'), Type.Literal('resume')]),
    /** The answer's or the resume's id. */
    id: Type.String({ format: 'uuid' }),
    expiresInDays: Type.Integer({ minimum: 1, maximum: SHARE_MAX_DAYS }),
    /** Only these recruiter accounts (their verified e-mail addresses) may open it; none: anyone with the link. */
    recipients: Type.Optional(Type.Array(Email, { maxItems: SHARE_MAX_RECIPIENTS, uniqueItems: true })),
    include: Type.Optional(Include),
    label: Type.Optional(Type.String({ maxLength: 120 })),
  },
  { additionalProperties: false },
);

export const ShareViewRow = Type.Object({
  id: Type.String(),
  viewer: Type.Union([Type.Object({ email: Type.String(), name: Type.String() }), Type.Null()]),
  startedAt: Type.String(),
  lastSeenAt: Type.String(),
  watchedMs: Type.Integer(),
});

export const Rating = Type.Object({ competency: Type.String({ minLength: 1, maxLength: 60, pattern: '^[^<>]+$' }), rating: Type.Integer({ minimum: 1, maximum: 5 }) }, { additionalProperties: false });
export const FeedbackInput = Type.Object(
  { ratings: Type.Array(Rating, { minItems: 1, maxItems: 8 }), comment: Type.String({ maxLength: 2000 }) },
  { additionalProperties: false },
);
export const RecruiterFeedback = Type.Object({
  id: Type.String(),
  recruiter: Type.Object({ name: Type.String(), email: Type.String() }),
  ratings: Type.Array(Type.Object({ competency: Type.String(), rating: Type.Integer() })),
  comment: Type.String(),
  createdAt: Type.String(),
  /** Which share link or one-way interview it is about. */
  linkId: Type.Union([Type.String(), Type.Null()]),
  inviteId: Type.Union([Type.String(), Type.Null()]),
});

export const ShareLink = Type.Object({
  id: Type.String(),
  kind: Type.Union([Type.Literal('answer'), Type.Literal('resume')]),
  targetId: Type.String(),
  title: Type.String(),
  label: Type.String(),
  expiresAt: Type.String(),
  revokedAt: Type.Union([Type.String(), Type.Null()]),
  state: Type.Union([Type.Literal('active'), Type.Literal('expired'), Type.Literal('revoked')]),
  include: Type.Object({ metrics: Type.Boolean(), feedback: Type.Boolean(), originality: Type.Boolean() }),
  recipients: Type.Array(Type.String()),
  viewCount: Type.Integer(),
  lastViewedAt: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
});
export const ShareLinkDetail = Type.Object({ link: ShareLink, views: Type.Array(ShareViewRow), feedback: Type.Array(RecruiterFeedback) });
/** Made once: the URL (with its token) is shown at creation only; afterwards only its hash exists. */
export const CreatedShare = Type.Object({ link: ShareLink, url: Type.String() });

/** One answer as the link's viewer sees it: what the candidate chose to include. */
export const SharedAnswer = Type.Object({
  id: Type.String(),
  question: Type.String(),
  competency: Type.String(),
  createdAt: Type.String(),
  durationMs: Type.Union([Type.Integer(), Type.Null()]),
  /** The recording through the link (checked on every request), or null when there is none any more. */
  mediaUrl: Type.Union([Type.String(), Type.Null()]),
  transcript: Type.Array(Type.Object({ text: Type.String(), start: Type.Number(), end: Type.Number() })),
  metrics: Type.Union([Type.Object({ wpm: Type.Union([Type.Number(), Type.Null()]), words: Type.Integer(), fillers: Type.Integer(), pauses: Type.Integer(), starHeard: Type.Array(Type.String()) }), Type.Null()]),
  feedback: Type.Union([Type.Array(Type.Object({ kind: Type.String(), message: Type.String() })), Type.Null()]),
  originality: Type.Union([Type.Object({ flagged: Type.Boolean(), message: Type.String() }), Type.Null()]),
});
export const SharedView = Type.Object({
  kind: Type.Union([Type.Literal('answer'), Type.Literal('resume')]),
  candidate: Type.Object({ name: Type.String(), headline: Type.String() }),
  resume: Type.Union([Type.Object({ headline: Type.String(), profile: Type.String() }), Type.Null()]),
  answers: Type.Array(SharedAnswer),
  expiresAt: Type.String(),
  /** This opening's id, for reporting how long the video played; null for the owner's own preview. */
  viewId: Type.Union([Type.String(), Type.Null()]),
  /** Whether the viewer may leave feedback (a signed-in recruiter, not the owner), and what they left. */
  canGiveFeedback: Type.Boolean(),
  myFeedback: Type.Union([RecruiterFeedback, Type.Null()]),
});
export const WatchedInput = Type.Object({ watchedMs: Type.Integer({ minimum: 0, maximum: 24 * 3600 * 1000 }) }, { additionalProperties: false });
