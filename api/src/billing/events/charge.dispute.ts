// A seeker's bank disputed a charge for a mentor call or an answer review (charge.dispute.created):
// the mentor's payout is held. When the dispute closes in our favour (charge.dispute.closed, status
// "won") the hold is lifted and a payout already due is made; a lost dispute keeps it held, since
// the money went back to the seeker.
import type Stripe from 'stripe';
import { Type } from 'typebox';
import { StripeRef, type EventHandler } from './subscription.ts';

const DisputeObject = Type.Object({
  object: Type.Literal('dispute'),
  id: Type.String({ pattern: '^dp_' }),
  payment_intent: Type.Union([StripeRef('pi'), Type.Null()]),
  status: Type.String(),
});

const paymentIntentOf = (dispute: Stripe.Dispute) => (dispute.payment_intent == null ? null : typeof dispute.payment_intent === 'string' ? dispute.payment_intent : dispute.payment_intent.id);

export const chargeDisputeCreated: EventHandler = {
  object: DisputeObject,
  async handle(event, deps) {
    const paymentIntentId = paymentIntentOf(event.data.object as Stripe.Dispute);
    if (!paymentIntentId) return;
    await Promise.all([deps.bookings.disputed(paymentIntentId, true), deps.answerReviews.disputed(paymentIntentId, true)]);
  },
};

export const chargeDisputeClosed: EventHandler = {
  object: DisputeObject,
  async handle(event, deps) {
    const dispute = event.data.object as Stripe.Dispute;
    const paymentIntentId = paymentIntentOf(dispute);
    if (!paymentIntentId || dispute.status !== 'won') return;
    await Promise.all([deps.bookings.disputed(paymentIntentId, false), deps.answerReviews.disputed(paymentIntentId, false)]);
  },
};
