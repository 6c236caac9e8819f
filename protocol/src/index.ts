// What the processes say to each other, defined once (after livekit/protocol): the API's TypeBox
// schemas (the API validates with them, the web client derives its types from them with
// `Static<typeof …>`), and, in ./signaling, the media server's signaling protocol and live update.
export * from './admin.ts';
export * from './answers.ts';
export * from './auth.ts';
export * from './billing.ts';
export * from './coach.ts';
export * from './errors.ts';
export * from './health.ts';
export * from './mentoring.ts';
export * from './prep.ts';
export * from './recruiting.ts';
export * from './shares.ts';
export type { AnswerReport as AnalysedAnswer, LiveUpdate } from '@rehearse/analysis/live/types';
