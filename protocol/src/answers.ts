import { Type } from 'typebox';

export const QuestionKind = Type.Union([Type.Literal('behavioural'), Type.Literal('situational'), Type.Literal('role_specific'), Type.Literal('motivation')]);
export const Framework = Type.Union([Type.Literal('star'), Type.Literal('carl'), Type.Literal('soar')]);

export const Question = Type.Object({
  id: Type.String(),
  slug: Type.String(),
  text: Type.String(),
  framework: Framework,
  competency: Type.String(),
  kind: QuestionKind,
  /** Roles it suits; empty: every role. */
  roles: Type.Array(Type.String()),
  /** 1 easy, 2 medium, 3 hard. */
  difficulty: Type.Integer({ minimum: 1, maximum: 3 }),
  followUps: Type.Array(Type.String()),
  /** The caller's own question (not the bank's). */
  own: Type.Boolean(),
});

/** GET /api/questions: filters (all optional) and a full-text search. */
export const QuestionQuery = Type.Object(
  {
    kind: Type.Optional(QuestionKind),
    role: Type.Optional(Type.String({ maxLength: 40 })),
    competency: Type.Optional(Type.String({ maxLength: 40 })),
    framework: Type.Optional(Framework),
    difficulty: Type.Optional(Type.Integer({ minimum: 1, maximum: 3 })),
    q: Type.Optional(Type.String({ maxLength: 200 })),
    mine: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

/** POST /api/questions: a question of my own. */
export const NewQuestion = Type.Object(
  {
    text: Type.String({ minLength: 10, maxLength: 500 }),
    competency: Type.Optional(Type.String({ maxLength: 40 })),
    framework: Type.Optional(Framework),
    kind: Type.Optional(QuestionKind),
  },
  { additionalProperties: false },
);

export const AnswerStatus = Type.Union([
  Type.Literal('created'),
  Type.Literal('recording'),
  Type.Literal('processing'),
  Type.Literal('ready'),
  Type.Literal('interrupted'),
  Type.Literal('failed'),
]);

export const Recording = Type.Object({
  key: Type.String(),
  bytes: Type.Number(),
  durationMs: Type.Number(),
  container: Type.String(),
  audioCodec: Type.Union([Type.String(), Type.Null()]),
  videoCodec: Type.Union([Type.String(), Type.Null()]),
});

export const Answer = Type.Object({
  id: Type.String(),
  status: AnswerStatus,
  question: Question,
  createdAt: Type.String({ format: 'date-time' }),
  startedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  stoppedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  recording: Type.Union([Recording, Type.Null()]),
  recordingNote: Type.Union([Type.String(), Type.Null()]),
  /** The answer this one follows up, and the mock interview it is part of. */
  parentAnswerId: Type.Union([Type.String(), Type.Null()]),
  mockInterviewId: Type.Union([Type.String(), Type.Null()]),
  /** The cheat sheet that was on while answering (the report says so). */
  cheatSheet: Type.Union([Type.Literal('off'), Type.Literal('bullets'), Type.Literal('script')]),
  prepItemId: Type.Union([Type.String(), Type.Null()]),
  interviewInviteId: Type.Union([Type.String(), Type.Null()]),
  /** When the recording is deleted unless watched, shared or kept longer (api/src/retention); null once deleted. */
  retainUntil: Type.Union([Type.String(), Type.Null()]),
  recordingDeletedAt: Type.Union([Type.String(), Type.Null()]),
});

/** What the page needs to open the signaling WebSocket. */
export const Join = Type.Object({
  mediaUrl: Type.String(),
  token: Type.String(),
  roomId: Type.String(),
  iceServers: Type.Array(Type.Object({ urls: Type.Union([Type.String(), Type.Array(Type.String())]), username: Type.Optional(Type.String()), credential: Type.Optional(Type.String()) })),
  /** "relay": send only through the TURN servers. */
  iceTransportPolicy: Type.Union([Type.Literal('all'), Type.Literal('relay')]),
});

export const AnswerId = Type.Object({ id: Type.String({ format: 'uuid' }) });

/** GET /api/answers: my answers, newest first, a page at a time (`before`: the last one's createdAt). */
export const AnswerListQuery = Type.Object(
  {
    status: Type.Optional(AnswerStatus),
    questionId: Type.Optional(Type.String({ format: 'uuid' })),
    before: Type.Optional(Type.String({ format: 'date-time' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  },
  { additionalProperties: false },
);

/** The key figures of an answer's report, for lists (null before the report exists). */
export const AnswerMetrics = Type.Object({
  words: Type.Number(),
  wpm: Type.Union([Type.Number(), Type.Null()]),
  fillers: Type.Number(),
  pauses: Type.Number(),
  starHeard: Type.Array(Type.String()),
});
export const AnswerListItem = Type.Object({ answer: Answer, metrics: Type.Union([AnswerMetrics, Type.Null()]) });
export const AnswerList = Type.Object({ answers: Type.Array(AnswerListItem), next: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]) });
export const StartAnswerBody = Type.Object(
  {
    questionId: Type.String({ format: 'uuid' }),
    /** Answering the interviewer's follow-up to this answer of mine (questionId: that follow-up). */
    parentAnswerId: Type.Optional(Type.String({ format: 'uuid' })),
    /** Part of this mock interview of mine (questionId: its current question, or that one's follow-up). */
    mockInterviewId: Type.Optional(Type.String({ format: 'uuid' })),
    /** Doing this item of one of my prep plans (questionId: the item's question). */
    prepItemId: Type.Optional(Type.String({ format: 'uuid' })),
    /** Answering this one-way interview's question (my invitation, before its deadline). */
    interviewInviteId: Type.Optional(Type.String({ format: 'uuid' })),
    /** The cheat sheet shown beside the camera: the story's full script, its bullet points, or nothing (the default). */
    cheatSheet: Type.Optional(Type.Union([Type.Literal('off'), Type.Literal('bullets'), Type.Literal('script')])),
  },
  { additionalProperties: false },
);
export const StartedAnswer = Type.Object({ answer: Answer, join: Join });
export const AnswerBody = Type.Object({ answer: Answer });
/** Where the page plays a recording from (a path on the product's own origin) and its container. */
export const Playback = Type.Object({ url: Type.String(), container: Type.String() });

/** A file streamed as it is (OpenAPI: binary). */
export const Binary = Type.String({ format: 'binary' });

export const ReportWord = Type.Object({
  text: Type.String(),
  start: Type.Number(),
  end: Type.Number(),
  confidence: Type.Number(),
  punctuated: Type.Optional(Type.String()),
  engine: Type.Optional(Type.String()),
  filler: Type.Optional(Type.Boolean()),
});

/** Feedback computed from the transcript and metrics (analysis/src/feedback/automatic.ts). */
export const FeedbackPoint = Type.Object({
  kind: Type.Union([Type.Literal('strength'), Type.Literal('improvement')]),
  topic: Type.String(),
  message: Type.String(),
  at: Type.Union([Type.Number(), Type.Null()]),
  quote: Type.Union([Type.String(), Type.Null()]),
});
export const Feedback = Type.Object({ source: Type.Literal('automatic'), points: Type.Array(FeedbackPoint), missing: Type.Array(Type.String()) });

export const Originality = Type.Object({
  flagged: Type.Boolean(),
  message: Type.Union([Type.String(), Type.Null()]),
  generic: Type.Object({
    generic: Type.Boolean(),
    score: Type.Number(),
    specifics: Type.Number(),
    stockPhrases: Type.Array(Type.Object({ phrase: Type.String(), at: Type.Number(), quote: Type.String() })),
    reasons: Type.Array(Type.String()),
  }),
  similar: Type.Union([Type.Object({ score: Type.Number(), count: Type.Number() }), Type.Null()]),
});

/** What live analysis heard: see analysis/src/live/LiveAnswer.ts (AnswerReport) for the summary's fields. */
export const Report = Type.Object({
  answerId: Type.String(),
  engine: Type.String(),
  durationMs: Type.Number(),
  words: Type.Array(ReportWord),
  summary: Type.Record(Type.String(), Type.Unknown()),
  spans: Type.Array(Type.Object({ engine: Type.String(), from: Type.Number(), to: Type.Number() })),
  sttError: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  /** Automatic feedback on this take. */
  feedback: Feedback,
  /** Too generic, or very like other users' answers (a score and a count only: nobody's text). */
  originality: Originality,
  /** The answer does not seem to address the question asked (automatic; AI feedback says more). */
  offTopic: Type.Union([Type.Object({ message: Type.String(), overlap: Type.Number() }), Type.Null()]),
});
export const ReportBody = Type.Object({ report: Report });
