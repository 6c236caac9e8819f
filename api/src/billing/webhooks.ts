// Stripe webhooks: verified on the raw body, each event handled exactly once (a row per event id
// is taken before the work; a concurrent or later duplicate finds it and does nothing), one
// handler per event type behind a typed map, 2xx for the types we do not handle.
import type Stripe from 'stripe';
import type { PrismaClient } from '@rehearse/db';
import type { Billing } from './stripe.ts';

type Handler = (event: Stripe.Event, deps: { db: PrismaClient; billing: Billing }) => Promise<void>;

/** Writes the plan the subscription's latest state gives (the event only says which one changed). */
async function syncSubscription(subscription: Stripe.Subscription, { db, billing }: { db: PrismaClient; billing: Billing }): Promise<void> {
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
}

const handlers: Partial<Record<Stripe.Event.Type, Handler>> = {
  'checkout.session.completed': async (event, deps) => {
    const session = event.data.object as Stripe.Checkout.Session;
    if (session.mode !== 'subscription' || !session.subscription) return;
    const id = typeof session.subscription === 'string' ? session.subscription : session.subscription.id;
    await syncSubscription({ id } as Stripe.Subscription, deps);
  },
  'customer.subscription.created': (event, deps) => syncSubscription(event.data.object as Stripe.Subscription, deps),
  'customer.subscription.updated': (event, deps) => syncSubscription(event.data.object as Stripe.Subscription, deps),
  'customer.subscription.deleted': (event, deps) => syncSubscription(event.data.object as Stripe.Subscription, deps),
};

export type WebhookOutcome = 'handled' | 'duplicate' | 'ignored';

export async function handleStripeEvent(event: Stripe.Event, deps: { db: PrismaClient; billing: Billing }): Promise<WebhookOutcome> {
  const handler = handlers[event.type];
  if (!handler) return 'ignored';
  try {
    await deps.db.stripeEvent.create({ data: { id: event.id, type: event.type } });
  } catch (error) {
    if ((error as { code?: string }).code === 'P2002') return 'duplicate';
    throw error;
  }
  try {
    await handler(event, deps);
  } catch (error) {
    // Not done: let Stripe's retry do it again.
    await deps.db.stripeEvent.delete({ where: { id: event.id } }).catch(() => {});
    throw error;
  }
  await deps.db.stripeEvent.update({ where: { id: event.id }, data: { processedAt: new Date() } });
  return 'handled';
}
