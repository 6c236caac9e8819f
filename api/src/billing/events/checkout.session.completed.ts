// A Checkout Session finished: the subscription it created decides the plan.
import type Stripe from 'stripe';
import { Type } from 'typebox';
import { StripeRef, syncSubscription, type EventHandler } from './subscription.ts';

export const checkoutSessionCompleted: EventHandler = {
  object: Type.Object({
    object: Type.Literal('checkout.session'),
    id: Type.String({ pattern: '^cs_' }),
    mode: Type.String(),
    subscription: Type.Union([StripeRef('sub'), Type.Null()]),
  }),
  async handle(event, deps) {
    const session = event.data.object as Stripe.Checkout.Session;
    if (session.mode !== 'subscription' || !session.subscription) return;
    const id = typeof session.subscription === 'string' ? session.subscription : session.subscription.id;
    await syncSubscription({ id } as Stripe.Subscription, deps);
  },
};
