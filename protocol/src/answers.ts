import { Type } from 'typebox';

export const Question = Type.Object({
  id: Type.String(),
  slug: Type.String(),
  text: Type.String(),
  framework: Type.String(),
  competency: Type.String(),
});

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
});

/** What the page needs to open the signaling WebSocket. */
export const Join = Type.Object({
  mediaUrl: Type.String(),
  token: Type.String(),
  roomId: Type.String(),
  iceServers: Type.Array(Type.Object({ urls: Type.Union([Type.String(), Type.Array(Type.String())]), username: Type.Optional(Type.String()), credential: Type.Optional(Type.String()) })),
});

export const AnswerId = Type.Object({ id: Type.String({ format: 'uuid' }) });
export const StartAnswerBody = Type.Object({ questionId: Type.String({ format: 'uuid' }) }, { additionalProperties: false });
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
});
export const ReportBody = Type.Object({ report: Report });
