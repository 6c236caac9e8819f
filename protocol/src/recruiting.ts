// Recruiters finding candidates (api/src/discovery) and one-way interviews (api/src/interviews).
import { Type } from 'typebox';
import { Question } from './answers.ts';
import { RecruiterFeedback, SharedAnswer } from './shares.ts';

const Tag = Type.String({ minLength: 1, maxLength: 60, pattern: '^[^<>]+$' });

export const DiscoveryProfileInput = Type.Object(
  {
    discoverable: Type.Boolean(),
    targetRoles: Type.Array(Tag, { maxItems: 10 }),
    skills: Type.Array(Tag, { maxItems: 30 }),
    location: Type.String({ maxLength: 120 }),
    /** The video resume recruiters who find them may watch. */
    resumeId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]),
  },
  { additionalProperties: false },
);
export const DiscoveryProfile = Type.Object({
  discoverable: Type.Boolean(),
  targetRoles: Type.Array(Type.String()),
  skills: Type.Array(Type.String()),
  location: Type.String(),
  resumeId: Type.Union([Type.String(), Type.Null()]),
  hidden: Type.Boolean(),
});

export const DiscoveryQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 120 })),
    role: Type.Optional(Type.String({ maxLength: 60 })),
    skill: Type.Optional(Type.String({ maxLength: 60 })),
    location: Type.Optional(Type.String({ maxLength: 120 })),
  },
  { additionalProperties: false },
);
const ContactState = Type.Union([Type.Literal('pending'), Type.Literal('accepted'), Type.Literal('declined'), Type.Null()]);
export const DiscoveredCandidate = Type.Object({
  id: Type.String(),
  name: Type.String(),
  headline: Type.String(),
  targetRoles: Type.Array(Type.String()),
  skills: Type.Array(Type.String()),
  location: Type.String(),
  resume: Type.Union([Type.Object({ headline: Type.String(), profile: Type.String(), answers: Type.Integer() }), Type.Null()]),
  contact: ContactState,
});
export const DiscoveredCandidateDetail = Type.Object({
  candidate: DiscoveredCandidate,
  answers: Type.Array(SharedAnswer),
  /** Shown once the candidate accepted the recruiter's contact request. */
  email: Type.Union([Type.String(), Type.Null()]),
});
export const ContactInput = Type.Object({ message: Type.String({ minLength: 1, maxLength: 1000 }) }, { additionalProperties: false });
export const ContactRequest = Type.Object({
  id: Type.String(),
  status: Type.Union([Type.Literal('pending'), Type.Literal('accepted'), Type.Literal('declined')]),
  message: Type.String(),
  createdAt: Type.String(),
  decidedAt: Type.Union([Type.String(), Type.Null()]),
  recruiter: Type.Object({ name: Type.String(), email: Type.String() }),
  candidate: Type.Object({ id: Type.String(), name: Type.String(), email: Type.Union([Type.String(), Type.Null()]) }),
});

export const InterviewQuestionInput = Type.Object(
  { text: Type.String({ minLength: 5, maxLength: 500 }), thinkSeconds: Type.Integer({ minimum: 0, maximum: 300 }), answerSeconds: Type.Integer({ minimum: 30, maximum: 600 }) },
  { additionalProperties: false },
);
export const InterviewInput = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 120 }),
    company: Type.Optional(Type.String({ maxLength: 120 })),
    coaching: Type.Boolean(),
    deadline: Type.String({ format: 'date-time' }),
    questions: Type.Array(InterviewQuestionInput, { minItems: 1, maxItems: 10 }),
    candidates: Type.Array(Type.String({ format: 'email', maxLength: 254 }), { minItems: 1, maxItems: 50, uniqueItems: true }),
  },
  { additionalProperties: false },
);
const InterviewQuestion = Type.Object({ questionId: Type.String(), text: Type.String(), thinkSeconds: Type.Integer(), answerSeconds: Type.Integer() });
export const InterviewSubmission = Type.Object({
  inviteId: Type.String(),
  email: Type.String(),
  name: Type.String(),
  status: Type.Union([Type.Literal('invited'), Type.Literal('submitted')]),
  submittedAt: Type.Union([Type.String(), Type.Null()]),
  /** One per question, in order (null: not answered); only once submitted. */
  answers: Type.Array(Type.Union([SharedAnswer, Type.Null()])),
  feedback: Type.Array(RecruiterFeedback),
});
export const RecruiterInterview = Type.Object({
  id: Type.String(),
  title: Type.String(),
  company: Type.String(),
  coaching: Type.Boolean(),
  deadline: Type.String(),
  questions: Type.Array(InterviewQuestion),
  createdAt: Type.String(),
  invites: Type.Array(InterviewSubmission),
});
/** The candidate's side: the questions, their answers so far, and exactly what submitting shares. */
export const CandidateInterview = Type.Object({
  inviteId: Type.String(),
  title: Type.String(),
  company: Type.String(),
  recruiter: Type.Object({ name: Type.String() }),
  coaching: Type.Boolean(),
  deadline: Type.String(),
  closed: Type.Boolean(),
  status: Type.Union([Type.Literal('invited'), Type.Literal('submitted')]),
  questions: Type.Array(Type.Intersect([InterviewQuestion, Type.Object({ answerId: Type.Union([Type.String(), Type.Null()]), question: Question })])),
  /** What the recruiter will see for each answer once submitted. */
  shares: Type.Array(Type.String()),
  preview: Type.Array(Type.Union([SharedAnswer, Type.Null()])),
  feedback: Type.Array(RecruiterFeedback),
});
