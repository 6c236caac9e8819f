// customer.subscription.created / updated / deleted: whichever arrives, the subscription as Stripe
// holds it now decides the plan (so their order does not matter).
import type Stripe from 'stripe';
import { SubscriptionObject, syncSubscription, type EventHandler } from './subscription.ts';

export const customerSubscriptionChanged: EventHandler = {
  object: SubscriptionObject,
  handle: (event, deps) => syncSubscription(event.data.object as Stripe.Subscription, deps),
};
