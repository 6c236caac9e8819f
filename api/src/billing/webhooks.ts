// Stripe webhooks: verified on the raw body (routes.ts), one handler file per event type (events/)
// behind a typed map, 2xx for the types we do not handle, and each event's effect exactly once,
// also across a crash:
//
// - A delivery first takes the event: it inserts the `stripe_events` row (the id is unique), or
//   takes over a row whose lease ran out (its worker died between taking and finishing it).
// - A delivery that finds the event finished answers "duplicate"; one that finds it taken by a
//   live worker answers 409, so Stripe delivers it again later — after a crash, that later
//   delivery finds the lease expired and does the work.
// - A handler that fails gives its lease back at once, for Stripe's retry.
// - A signed event whose shape the handler cannot use is recorded as rejected and answered 400.
import type Stripe from 'stripe';
import { Compile } from 'typebox/compile';
import { Type } from 'typebox';
import { accountUpdated } from './events/account.updated.ts';
import { chargeDisputeClosed, chargeDisputeCreated } from './events/charge.dispute.ts';
import { checkoutSessionCompleted } from './events/checkout.session.completed.ts';
import { customerSubscriptionChanged } from './events/customer.subscription.ts';
import type { EventHandler, HandlerDeps } from './events/subscription.ts';
import { WEBHOOK_LEASE_MS } from '../limits.ts';

const handlers: Partial<Record<Stripe.Event.Type, EventHandler>> = {
  'account.updated': accountUpdated,
  'charge.dispute.created': chargeDisputeCreated,
  'charge.dispute.closed': chargeDisputeClosed,
  'checkout.session.completed': checkoutSessionCompleted,
  'checkout.session.async_payment_succeeded': checkoutSessionCompleted,
  'customer.subscription.created': customerSubscriptionChanged,
  'customer.subscription.updated': customerSubscriptionChanged,
  'customer.subscription.deleted': customerSubscriptionChanged,
};


const Envelope = Compile(Type.Object({ id: Type.String({ pattern: '^evt_', maxLength: 255 }), type: Type.String({ maxLength: 255 }), data: Type.Object({ object: Type.Object({}) }) }));
const objectChecks = new Map(Object.entries(handlers).map(([type, handler]) => [type, Compile(handler.object)]));

export type WebhookOutcome =
  | { outcome: 'handled' | 'duplicate' | 'ignored' }
  | { outcome: 'in_progress' }
  | { outcome: 'rejected'; reason: string };

/** Why a signed event cannot be used, or null if it can. */
function problemWith(event: unknown): string | null {
  if (!Envelope.Check(event)) {
    const [first] = Envelope.Errors(event);
    return `event${first?.instancePath ?? ''} ${first?.message ?? 'is malformed'}`;
  }
  const check = objectChecks.get(event.type);
  if (check && !check.Check(event.data.object)) {
    const [first] = check.Errors(event.data.object);
    return `${event.type}: data.object${first?.instancePath ?? ''} ${first?.message ?? 'is malformed'}`;
  }
  return null;
}

/** Takes the event for this delivery: 'taken', or what another delivery left of it. */
async function take(event: Stripe.Event, { db }: HandlerDeps): Promise<'taken' | 'duplicate' | 'in_progress' | 'rejected'> {
  try {
    await db.stripeEvent.create({ data: { id: event.id, type: event.type } });
    return 'taken';
  } catch (error) {
    if ((error as { code?: string }).code !== 'P2002') throw error;
  }
  const now = new Date();
  const { count } = await db.stripeEvent.updateMany({
    where: { id: event.id, processedAt: null, rejectedReason: null, acquiredAt: { lt: new Date(now.getTime() - WEBHOOK_LEASE_MS) } },
    data: { acquiredAt: now, attempts: { increment: 1 } },
  });
  if (count === 1) return 'taken';
  const row = await db.stripeEvent.findUniqueOrThrow({ where: { id: event.id } });
  if (row.processedAt) return 'duplicate';
  if (row.rejectedReason) return 'rejected';
  return 'in_progress';
}

export async function handleStripeEvent(event: Stripe.Event, deps: HandlerDeps): Promise<WebhookOutcome> {
  const problem = problemWith(event);
  if (problem) {
    if (typeof (event as { id?: unknown }).id === 'string' && /^evt_/.test(event.id) && event.id.length <= 255) {
      const type = typeof event.type === 'string' ? event.type.slice(0, 255) : 'unknown';
      await deps.db.stripeEvent.upsert({ where: { id: event.id }, create: { id: event.id, type, rejectedReason: problem }, update: {} });
    }
    return { outcome: 'rejected', reason: problem };
  }
  const handler = handlers[event.type];
  if (!handler) return { outcome: 'ignored' };
  const taken = await take(event, deps);
  if (taken === 'rejected') return { outcome: 'rejected', reason: 'this event was rejected before' };
  if (taken !== 'taken') return { outcome: taken };
  try {
    await handler.handle(event, deps);
  } catch (error) {
    // Not done: give the lease back so Stripe's retry can do it at once.
    await deps.db.stripeEvent.update({ where: { id: event.id }, data: { acquiredAt: new Date(0) } }).catch(() => {});
    throw error;
  }
  await deps.db.stripeEvent.update({ where: { id: event.id }, data: { processedAt: new Date() } });
  return { outcome: 'handled' };
}
