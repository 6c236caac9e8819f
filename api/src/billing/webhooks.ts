// Stripe webhooks: verified on the raw body (routes.ts), each event handled exactly once (a row
// per event id is taken before the work; a concurrent or later duplicate finds it and does
// nothing), one handler file per event type (events/) behind a typed map, 2xx for the types we do
// not handle.
import type Stripe from 'stripe';
import { checkoutSessionCompleted } from './events/checkout.session.completed.ts';
import { customerSubscriptionChanged } from './events/customer.subscription.ts';
import type { Handler, HandlerDeps } from './events/subscription.ts';

const handlers: Partial<Record<Stripe.Event.Type, Handler>> = {
  'checkout.session.completed': checkoutSessionCompleted,
  'customer.subscription.created': customerSubscriptionChanged,
  'customer.subscription.updated': customerSubscriptionChanged,
  'customer.subscription.deleted': customerSubscriptionChanged,
};

export type WebhookOutcome = 'handled' | 'duplicate' | 'ignored';

export async function handleStripeEvent(event: Stripe.Event, deps: HandlerDeps): Promise<WebhookOutcome> {
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
