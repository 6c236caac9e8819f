import { Type, type Static } from 'typebox';

export const Check = Type.Object({
  name: Type.Union([Type.Literal('database'), Type.Literal('objectStore'), Type.Literal('mediaWorkers'), Type.Literal('speechEngine')]),
  ok: Type.Boolean(),
  detail: Type.String(),
  latencyMs: Type.Number(),
});

export const Health = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('degraded')]),
  checks: Type.Array(Check),
  /** Which implementation serves each paid capability; the UI labels the offline ones. */
  modes: Type.Object({
    speech: Type.Union([Type.Literal('deepgram'), Type.Literal('embedded')]),
    ai: Type.Union([Type.Literal('openai'), Type.Literal('heuristic')]),
    billing: Type.Union([Type.Literal('stripe'), Type.Literal('local-test-mode')]),
  }),
});

export type Check = Static<typeof Check>;
export type Health = Static<typeof Health>;
