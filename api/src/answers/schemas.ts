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
export const Playback = Type.Object({ url: Type.String(), expiresAt: Type.String({ format: 'date-time' }), container: Type.String() });
