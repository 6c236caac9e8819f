// What every Stripe event handler gets, and the one thing they all do: write the plan the
// subscription's latest state gives.
import type Stripe from 'stripe';
import { Type, type TSchema } from 'typebox';
import type { PrismaClient } from '@rehearse/db';
import type { AnswerReviewService } from '../../answerReviews/service.ts';
import type { BookingService } from '../../bookings/service.ts';
import type { Billing } from '../stripe.ts';

export interface HandlerDeps {
  db: PrismaClient;
  billing: Billing;
  /** Booked mentor calls: paid through Checkout, mentors' Connect accounts. */
  bookings: BookingService;
  /** Paid reviews of recorded answers. */
  answerReviews: AnswerReviewService;
}

/** One event type's handler and the shape its `data.object` must have (checked before it runs). */
export interface EventHandler {
  object: TSchema;
  handle: (event: Stripe.Event, deps: HandlerDeps) => Promise<void>;
}

/** An id Stripe gives, or the object it stands for (expanded). */
export const StripeRef = (prefix: string) => Type.Union([Type.String({ pattern: `^${prefix}_` }), Type.Object({ id: Type.String({ pattern: `^${prefix}_` }) })]);

/** What the handlers read of a subscription: enough to fetch it again and find its owner. */
export const SubscriptionObject = Type.Object({
  object: Type.Literal('subscription'),
  id: Type.String({ pattern: '^sub_' }),
  customer: StripeRef('cus'),
  status: Type.String(),
});

/** Writes the plan the subscription's latest state gives (the event only says which one changed). */
export async function syncSubscription(subscription: Stripe.Subscription, { db, billing }: HandlerDeps): Promise<void> {
  const latest = await billing.latest(subscription);
  const owner = latest.userId ?? (await db.subscription.findUnique({ where: { stripeCustomerId: latest.customer } }))?.userId;
  if (!owner || !(await db.user.findUnique({ where: { id: owner } }))) return;
  const data = {
    plan: latest.plan ?? ('free' as const),
    status: latest.status,
    stripeCustomerId: latest.customer,
    stripeSubscriptionId: latest.id,
    currentPeriodEnd: latest.currentPeriodEnd,
    cancelAtPeriodEnd: latest.cancelAtPeriodEnd,
    testMode: billing.mode === 'test',
  };
  await db.subscription.upsert({ where: { userId: owner }, create: { userId: owner, ...data }, update: data });
  // The Recruiter plan makes a recruiter account (named in share links, leaving feedback). The role
  // stays when the plan ends (what they wrote stays theirs); what needs the plan checks the plan.
  if (data.plan === 'recruiter' && LIVE.has(data.status)) await db.userRole.createMany({ data: [{ userId: owner, role: 'recruiter' }], skipDuplicates: true });
}

const LIVE = new Set(['active', 'trialing', 'test']);
