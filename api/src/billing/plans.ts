// The plans and everything they allow, in one place. Limits are enforced by the API where the
// resource is created (answers, api/src/answers; AI feedback and question sets, api/src/coach);
// share links come later and read their limit from here.
import type { PrismaClient } from '@rehearse/db';

export type PlanId = 'free' | 'pro' | 'recruiter';

export interface PlanLimits {
  /** Minutes of answers recorded per calendar month (UTC). */
  practiceMinutesPerMonth: number;
  /** Answers with a recording kept at once. */
  recordingsKept: number;
  /** AI feedback reports asked for per calendar month (UTC); failed ones are not counted. */
  aiFeedbackPerMonth: number;
  /** Question sets written by the AI per calendar month (the same input again is free). */
  aiQuestionSetsPerMonth: number;
  activeShareLinks: number;
  /** Answers in progress at once (started and not yet stopped). */
  answersAtOnce: number;
}

export interface PlanInfo {
  id: PlanId;
  name: string;
  /** Who it is for. */
  audience: 'seeker' | 'recruiter';
  priceMonthlyCents: number;
  limits: PlanLimits;
}

export const PLANS: Record<PlanId, PlanInfo> = {
  free: { id: 'free', name: 'Free', audience: 'seeker', priceMonthlyCents: 0, limits: { practiceMinutesPerMonth: 30, recordingsKept: 10, aiFeedbackPerMonth: 5, aiQuestionSetsPerMonth: 3, activeShareLinks: 1, answersAtOnce: 1 } },
  pro: { id: 'pro', name: 'Pro', audience: 'seeker', priceMonthlyCents: 1500, limits: { practiceMinutesPerMonth: 600, recordingsKept: 500, aiFeedbackPerMonth: 200, aiQuestionSetsPerMonth: 60, activeShareLinks: 25, answersAtOnce: 2 } },
  recruiter: { id: 'recruiter', name: 'Recruiter', audience: 'recruiter', priceMonthlyCents: 9900, limits: { practiceMinutesPerMonth: 60, recordingsKept: 50, aiFeedbackPerMonth: 50, aiQuestionSetsPerMonth: 10, activeShareLinks: 500, answersAtOnce: 1 } },
};

/** A paid plan counts while Stripe says the subscription is live (and, for the test mode, while "test"). */
const LIVE_STATUSES = new Set(['active', 'trialing', 'test']);

export async function planOf(db: PrismaClient, userId: string, now = new Date()): Promise<PlanInfo> {
  const subscription = await db.subscription.findUnique({ where: { userId } });
  if (!subscription || !LIVE_STATUSES.has(subscription.status)) return PLANS.free;
  if (subscription.currentPeriodEnd && subscription.currentPeriodEnd <= now) return PLANS.free;
  return PLANS[subscription.plan];
}

export interface Usage {
  practiceMinutes: number;
  recordingsKept: number;
  aiFeedback: number;
}

export function monthStart(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
}

export async function usageOf(db: PrismaClient, userId: string, now = new Date()): Promise<Usage> {
  const [month, recordingsKept, aiFeedback] = await Promise.all([
    db.answer.aggregate({ where: { userId, createdAt: { gte: monthStart(now) } }, _sum: { durationMs: true } }),
    db.answer.count({ where: { userId, recordingKey: { not: null } } }),
    db.answerFeedback.count({ where: { userId, createdAt: { gte: monthStart(now) }, status: { not: 'failed' } } }),
  ]);
  return { practiceMinutes: Math.round(((month._sum.durationMs ?? 0) / 60_000) * 10) / 10, recordingsKept, aiFeedback };
}

/** Which plan would lift a limit for this kind of user: the answer's upgrade hint. */
export function upgradeFor(plan: PlanInfo): PlanInfo | null {
  if (plan.id === 'free') return PLANS.pro;
  return null;
}
