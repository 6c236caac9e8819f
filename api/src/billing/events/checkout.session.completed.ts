// A Checkout Session finished: for a plan, the subscription it created decides the plan; for a
// booked mentor call (metadata.bookingId), the booking is paid (payment mode) or its card saved
// (setup mode, for calls more than six days off); for a review of a recorded answer
// (metadata.answerReviewId), the mentor's time to deliver starts. A payment-mode session counts
// only once its payment_status is "paid": a method that settles later (a bank debit) completes
// with "unpaid" and is paid by checkout.session.async_payment_succeeded, which this same handler
// takes.
import type Stripe from 'stripe';
import { Type } from 'typebox';
import { StripeRef, syncSubscription, type EventHandler } from './subscription.ts';

const idOf = (ref: string | { id: string } | null | undefined) => (ref == null ? null : typeof ref === 'string' ? ref : ref.id);

export const checkoutSessionCompleted: EventHandler = {
  object: Type.Object({
    object: Type.Literal('checkout.session'),
    id: Type.String({ pattern: '^cs_' }),
    mode: Type.String(),
    subscription: Type.Optional(Type.Union([StripeRef('sub'), Type.Null()])),
    payment_intent: Type.Optional(Type.Union([StripeRef('pi'), Type.Null()])),
    setup_intent: Type.Optional(Type.Union([StripeRef('seti'), Type.Null()])),
    customer: Type.Optional(Type.Union([StripeRef('cus'), Type.Null()])),
    metadata: Type.Optional(Type.Union([Type.Record(Type.String(), Type.String()), Type.Null()])),
    payment_status: Type.Optional(Type.String()),
  }),
  async handle(event, deps) {
    const session = event.data.object as Stripe.Checkout.Session;
    if (session.mode === 'payment' && session.payment_status !== 'paid') return;
    const reviewId = session.metadata?.answerReviewId;
    if (reviewId && session.mode === 'payment') {
      if (!/^[0-9a-f-]{36}$/.test(reviewId)) return;
      await deps.answerReviews.paid({ reviewId, paymentIntentId: idOf(session.payment_intent), sessionId: session.id, customerId: idOf(session.customer as string | { id: string } | null) });
      return;
    }
    const bookingId = session.metadata?.bookingId;
    if (bookingId && (session.mode === 'payment' || session.mode === 'setup')) {
      if (!/^[0-9a-f-]{36}$/.test(bookingId)) return;
      await deps.bookings.checkoutCompleted({
        bookingId,
        mode: session.mode as 'payment' | 'setup',
        paymentIntentId: idOf(session.payment_intent),
        setupIntentId: idOf(session.setup_intent),
        customerId: idOf(session.customer as string | { id: string } | null),
        sessionId: session.id,
      });
      return;
    }
    if (session.mode !== 'subscription' || !session.subscription) return;
    await syncSubscription({ id: idOf(session.subscription)! } as Stripe.Subscription, deps);
  },
};
