// The coach: AI feedback on a take, generated question sets, the interviewer's follow-up, mock
// interviews and progress. The model's structured outputs are defined here too (strict JSON
// schemas: every property required, no extra ones), so the API asks OpenAI for exactly the shape it
// validates, saves and serves. (No string lengths in those: strict structured outputs do not take
// maxLength.)
import { Type } from 'typebox';
import { Framework, Question, QuestionKind } from './answers.ts';

const strict = { additionalProperties: false } as const;

/** A point quoting the transcript, at the answer second where the quote starts. */
export const QuotedPoint = Type.Object({ point: Type.String(), quote: Type.String(), at: Type.Number({ minimum: 0 }) }, strict);
export const RubricScore = Type.Object({ score: Type.Integer({ minimum: 1, maximum: 5 }), comment: Type.String() }, strict);

/** The AI feedback report (OpenAI structured output `answer_feedback`). */
export const AiFeedbackReport = Type.Object(
  {
    summary: Type.String(),
    rubric: Type.Object({ structure: RubricScore, specificity: RubricScore, impact: RubricScore, delivery: RubricScore }, strict),
    strengths: Type.Array(QuotedPoint, { maxItems: 6 }),
    improvements: Type.Array(QuotedPoint, { maxItems: 6 }),
    /** Parts of the framework (STAR, CARL, SOAR) the answer lacked or left thin. */
    missing: Type.Array(Type.Object({ part: Type.String(), advice: Type.String() }, strict), { maxItems: 4 }),
    /** A stronger version of the weakest part, in the candidate's own story. */
    strongerVersion: Type.Object({ part: Type.String(), text: Type.String() }, strict),
    /** Whether the answer addresses the question asked; the note says how it strays when it does not. */
    onTopic: Type.Boolean(),
    offTopicNote: Type.String(),
  },
  strict,
);

/** Questions the model wrote for a role and a job description (structured output `question_set`). */
export const GeneratedQuestions = Type.Object(
  {
    competencies: Type.Array(Type.String(), { maxItems: 8 }),
    questions: Type.Array(
      Type.Object({ text: Type.String(), kind: QuestionKind, competency: Type.String(), framework: Framework, difficulty: Type.Integer({ minimum: 1, maximum: 3 }), followUps: Type.Array(Type.String(), { maxItems: 2 }) }, strict),
      { minItems: 1, maxItems: 10 },
    ),
  },
  strict,
);

/** The interviewer's follow-up over an answer (structured output `follow_up`). */
export const GeneratedFollowUp = Type.Object({ question: Type.String() }, strict);
/** The model's comments on a written story (the story bank) before it is spoken. */
export const GeneratedStoryFeedback = Type.Object(
  {
    comments: Type.Array(
      Type.Object({ part: Type.Union([Type.String(), Type.Null()]), kind: Type.Union([Type.Literal('strength'), Type.Literal('improvement')]), message: Type.String() }, strict),
    ),
    /** The weakest part, rewritten in the candidate's voice. */
    rewrite: Type.Object({ part: Type.String(), text: Type.String() }, strict),
  },
  strict,
);

export const FeedbackStatus = Type.Union([Type.Literal('streaming'), Type.Literal('complete'), Type.Literal('failed')]);
/** One AI feedback asked for on an answer. */
export const AiFeedback = Type.Object({
  id: Type.String(),
  answerId: Type.String(),
  status: FeedbackStatus,
  model: Type.String(),
  report: Type.Union([AiFeedbackReport, Type.Null()]),
  score: Type.Union([Type.Number(), Type.Null()]),
  error: Type.Union([Type.Object({ code: Type.String(), message: Type.String() }), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  completedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  /** Where the page follows it while it streams (server-sent events). */
  streamUrl: Type.Union([Type.String(), Type.Null()]),
});
export const AiFeedbackBody = Type.Object({ feedback: AiFeedback });
export const AiFeedbackList = Type.Object({
  /** Newest first. */
  feedbacks: Type.Array(AiFeedback),
  /** Whether AI feedback can be asked for here (an OpenAI key is configured). */
  available: Type.Boolean(),
  /** This month's AI feedback: used and allowed by the plan. */
  used: Type.Number(),
  allowed: Type.Number(),
});
export const FeedbackParams = Type.Object({ id: Type.String({ format: 'uuid' }), feedbackId: Type.String({ format: 'uuid' }) });

/** POST /api/question-sets: questions for a role, a company and (optionally) a job description. */
export const NewQuestionSet = Type.Object(
  {
    role: Type.String({ minLength: 2, maxLength: 80 }),
    company: Type.Optional(Type.String({ maxLength: 80 })),
    jobDescription: Type.Optional(Type.String({ maxLength: 20_000 })),
  },
  strict,
);
export const QuestionSet = Type.Object({
  id: Type.String(),
  role: Type.String(),
  company: Type.String(),
  /** ai: written by the model for this input; bank: picked from the bank offline (no OpenAI key, or the model failed). */
  source: Type.Union([Type.Literal('ai'), Type.Literal('bank')]),
  competencies: Type.Array(Type.String()),
  questions: Type.Array(Question),
  /** Served from the cache: the same input was asked for before. */
  cached: Type.Boolean(),
  /** Why the bank was used instead of the model, when it was. */
  note: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
});
export const QuestionSetBody = Type.Object({ questionSet: QuestionSet });

/** The follow-up the interviewer asks after an answer; answered as a new answer linked to it. */
export const FollowUp = Type.Object({
  answerId: Type.String(),
  question: Question,
  /** ai: from the model over the transcript; bank: the question's follow-ups and the part that was missing. */
  source: Type.Union([Type.Literal('ai'), Type.Literal('bank')]),
  /** Answers already given to it. */
  answerIds: Type.Array(Type.String()),
});
export const FollowUpBody = Type.Object({ followUp: FollowUp });

/** POST /api/mock-interviews. */
export const NewMockInterview = Type.Object(
  {
    role: Type.Optional(Type.String({ maxLength: 40 })),
    competencies: Type.Optional(Type.Array(Type.String({ maxLength: 40 }), { maxItems: 8 })),
    difficulty: Type.Optional(Type.Integer({ minimum: 1, maximum: 3 })),
    questions: Type.Integer({ minimum: 1, maximum: 10 }),
    minutes: Type.Integer({ minimum: 5, maximum: 90 }),
    thinkSeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 120 })),
  },
  strict,
);
export const MockItem = Type.Object({
  position: Type.Integer(),
  question: Question,
  /** The answer to the question, and to its follow-up, once given. */
  answer: Type.Union([Type.Object({ id: Type.String(), status: Type.String(), durationMs: Type.Union([Type.Number(), Type.Null()]) }), Type.Null()]),
  followUpAnswer: Type.Union([Type.Object({ id: Type.String(), status: Type.String(), durationMs: Type.Union([Type.Number(), Type.Null()]) }), Type.Null()]),
});
export const MockInterview = Type.Object({
  id: Type.String(),
  status: Type.Union([Type.Literal('active'), Type.Literal('finished')]),
  role: Type.String(),
  competencies: Type.Array(Type.String()),
  difficulty: Type.Union([Type.Integer(), Type.Null()]),
  minutes: Type.Integer(),
  thinkSeconds: Type.Integer(),
  items: Type.Array(MockItem),
  /** The first position without an answer (the next question); null when every question is answered. */
  current: Type.Union([Type.Integer(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  finishedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
export const MockInterviewBody = Type.Object({ mockInterview: MockInterview });

/** One answer's figures over time, for progress charts. */
export const ProgressPoint = Type.Object({
  answerId: Type.String(),
  at: Type.String({ format: 'date-time' }),
  competency: Type.String(),
  durationMs: Type.Union([Type.Number(), Type.Null()]),
  wpm: Type.Union([Type.Number(), Type.Null()]),
  fillersPerMinute: Type.Union([Type.Number(), Type.Null()]),
  pauses: Type.Number(),
  /** STAR parts heard / 4. */
  starCompleteness: Type.Number(),
  /** Mean AI rubric score (1–5) of the answer's latest AI feedback. */
  score: Type.Union([Type.Number(), Type.Null()]),
});
export const ProgressQuery = Type.Object(
  { from: Type.Optional(Type.String({ format: 'date-time' })), to: Type.Optional(Type.String({ format: 'date-time' })), competency: Type.Optional(Type.String({ maxLength: 40 })) },
  strict,
);
export const Progress = Type.Object({
  from: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  to: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  points: Type.Array(ProgressPoint),
  competencies: Type.Array(Type.Object({ competency: Type.String(), answers: Type.Number(), starCompleteness: Type.Number(), score: Type.Union([Type.Number(), Type.Null()]) })),
});

/** One answer's figures as combined reports and scorecards show them. */
export const AnswerFigures = Type.Object({
  answerId: Type.String(),
  status: Type.String(),
  durationMs: Type.Union([Type.Number(), Type.Null()]),
  words: Type.Number(),
  wpm: Type.Union([Type.Number(), Type.Null()]),
  fillersPerMinute: Type.Union([Type.Number(), Type.Null()]),
  pauses: Type.Number(),
  starHeard: Type.Array(Type.String()),
  score: Type.Union([Type.Number(), Type.Null()]),
  /** The automatic feedback's first improvements. */
  improvements: Type.Array(Type.String()),
});
/** GET /api/mock-interviews/:id/report: every question with its answer and follow-up, and the averages. */
export const MockReport = Type.Object({
  mockInterview: MockInterview,
  items: Type.Array(Type.Object({ position: Type.Integer(), question: Question, answer: Type.Union([AnswerFigures, Type.Null()]), followUp: Type.Union([Type.Object({ question: Type.String(), answer: Type.Union([AnswerFigures, Type.Null()]) }), Type.Null()]) })),
  overall: Type.Object({
    answered: Type.Number(),
    questions: Type.Number(),
    wpm: Type.Union([Type.Number(), Type.Null()]),
    fillersPerMinute: Type.Union([Type.Number(), Type.Null()]),
    starCompleteness: Type.Union([Type.Number(), Type.Null()]),
    score: Type.Union([Type.Number(), Type.Null()]),
  }),
});
