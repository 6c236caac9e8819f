// A Checkout Session finished: the subscription it created decides the plan.
import type Stripe from 'stripe';
import { syncSubscription, type Handler } from './subscription.ts';

export const checkoutSessionCompleted: Handler = async (event, deps) => {
  const session = event.data.object as Stripe.Checkout.Session;
  if (session.mode !== 'subscription' || !session.subscription) return;
  const id = typeof session.subscription === 'string' ? session.subscription : session.subscription.id;
  await syncSubscription({ id } as Stripe.Subscription, deps);
};
