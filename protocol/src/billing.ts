// Plans and what they allow, as the API lists them (api/src/billing/plans.ts defines them).
import { Type } from 'typebox';

export const Limits = Type.Object({
  practiceMinutesPerMonth: Type.Number(),
  recordingsKept: Type.Number(),
  aiFeedbackPerMonth: Type.Number(),
  aiQuestionSetsPerMonth: Type.Number(),
  activeShareLinks: Type.Number(),
  retentionDays: Type.Number(),
  prepPlans: Type.Number(),
  answersAtOnce: Type.Number(),
});
export const PlanBody = Type.Object({
  id: Type.Union([Type.Literal('free'), Type.Literal('pro'), Type.Literal('recruiter')]),
  name: Type.String(),
  audience: Type.String(),
  priceMonthlyCents: Type.Number(),
  limits: Limits,
});
export const Usage = Type.Object({
  plan: PlanBody,
  usage: Type.Object({ practiceMinutes: Type.Number(), recordingsKept: Type.Number(), aiFeedback: Type.Number() }),
  billingMode: Type.Union([Type.Literal('stripe'), Type.Literal('test')]),
});
