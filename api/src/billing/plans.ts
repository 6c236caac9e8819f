// The plans and everything they allow, in one place. Limits are enforced by the API where the
// resource is created (answers, api/src/answers; AI feedback and question sets, api/src/coach);
// share links, api/src/shares; retention, api/src/retention).
import type { PrismaClient } from '@rehearse/db';
import { HttpError } from '../plugins/errors.ts';

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
  /** Share links that are neither revoked nor expired, at once. */
  activeShareLinks: number;
  /** Days a recording is kept after it was last recorded, shared or watched (then deleted, after a warning). */
  retentionDays: number;
  /** Prep plans kept at once. */
  prepPlans: number;
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
  free: { id: 'free', name: 'Free', audience: 'seeker', priceMonthlyCents: 0, limits: { practiceMinutesPerMonth: 30, recordingsKept: 10, aiFeedbackPerMonth: 5, aiQuestionSetsPerMonth: 3, activeShareLinks: 1, retentionDays: 90, answersAtOnce: 1, prepPlans: 1 } },
  pro: { id: 'pro', name: 'Pro', audience: 'seeker', priceMonthlyCents: 1500, limits: { practiceMinutesPerMonth: 600, recordingsKept: 500, aiFeedbackPerMonth: 200, aiQuestionSetsPerMonth: 60, activeShareLinks: 25, retentionDays: 365, answersAtOnce: 2, prepPlans: 10 } },
  recruiter: { id: 'recruiter', name: 'Recruiter', audience: 'recruiter', priceMonthlyCents: 9900, limits: { practiceMinutesPerMonth: 60, recordingsKept: 50, aiFeedbackPerMonth: 50, aiQuestionSetsPerMonth: 10, activeShareLinks: 500, retentionDays: 90, answersAtOnce: 1, prepPlans: 1 } },
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

/** Refuses what would go past the plan's `limit`: 402 with the limit, the use and the plan that lifts it. */
export function checkWithinPlan(plan: PlanInfo, limit: keyof PlanLimits, used: number, what: string): void {
  const allowed = plan.limits[limit];
  if (used < allowed) return;
  const upgrade = upgradeFor(plan);
  const hint = upgrade ? ` ${upgrade.name} includes ${upgrade.limits[limit]}.` : '';
  throw new HttpError(402, 'PLAN_LIMIT_REACHED', `Your ${plan.name} plan includes ${allowed} ${what}, and you have used ${used}.${hint}`, {
    limit,
    allowed,
    used,
    plan: plan.id,
    upgrade: upgrade ? { plan: upgrade.id, allowed: upgrade.limits[limit] } : null,
  });
}

export function monthStart(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
}

/** What starting an answer is checked against: practice minutes this month and recordings kept (mentor calls' recordings are the booking's, not practice). */
export async function recordingUsageOf(db: PrismaClient, userId: string, now = new Date()): Promise<Omit<Usage, 'aiFeedback'>> {
  const [month, recordingsKept] = await Promise.all([
    db.answer.aggregate({ where: { userId, bookingId: null, createdAt: { gte: monthStart(now) } }, _sum: { durationMs: true } }),
    db.answer.count({ where: { userId, bookingId: null, recordingKey: { not: null } } }),
  ]);
  return { practiceMinutes: Math.round(((month._sum.durationMs ?? 0) / 60_000) * 10) / 10, recordingsKept };
}

/** AI feedback reports asked for this month; failed ones are given back. */
export function aiFeedbackUsed(db: Pick<PrismaClient, 'answerFeedback'>, userId: string, now = new Date()): Promise<number> {
  return db.answerFeedback.count({ where: { userId, createdAt: { gte: monthStart(now) }, status: { not: 'failed' } } });
}

/** The meter: everything the plan limits that is counted this month. */
export async function usageOf(db: PrismaClient, userId: string, now = new Date()): Promise<Usage> {
  const [recording, aiFeedback] = await Promise.all([recordingUsageOf(db, userId, now), aiFeedbackUsed(db, userId, now)]);
  return { ...recording, aiFeedback };
}

/** Which plan would lift a limit for this kind of user: the answer's upgrade hint. */
export function upgradeFor(plan: PlanInfo): PlanInfo | null {
  if (plan.id === 'free') return PLANS.pro;
  return null;
}

/** What only the Recruiter plan includes (searching candidates, one-way interviews): 402 otherwise. */
export async function requireRecruiterPlan(db: PrismaClient, userId: string, now = new Date()): Promise<void> {
  if ((await planOf(db, userId, now)).id !== 'recruiter') throw new HttpError(402, 'RECRUITER_PLAN_REQUIRED', 'This needs the Recruiter plan', { upgrade: PLANS.recruiter });
}
