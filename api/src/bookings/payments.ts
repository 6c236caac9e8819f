// Money for mentor calls, with Stripe Connect (separate charges and transfers): the seeker pays the
// platform through Checkout (or saves a card through Checkout's setup mode when the call is more
// than six days off, charged off-session closer to it); after the call and the dispute window the
// mentor's Express account gets a transfer of the price less our fee; refunds reverse a transfer
// already made. Mentors onboard through Stripe-hosted account links. Without Stripe keys the local
// test mode stands in: the same steps, `*_test_*` ids, checkout completed by a locally signed event
// through the same webhook; no card is charged and no money moves.
import { randomUUID } from 'node:crypto';
import type Stripe from 'stripe';
import type { PrismaClient } from '@rehearse/db';
import type { Billing } from '../billing/stripe.ts';
import { HttpError } from '../plugins/errors.ts';
import { paymentPlan } from './policy.ts';

export interface PayableBooking {
  id: string;
  seekerId: string;
  mentorId: string;
  startsAt: Date;
  endsAt: Date;
  minutes: number;
  priceCents: number;
  feeCents: number;
  currency: string;
  holdExpiresAt: Date | null;
  stripeCustomerId: string | null;
  paymentMethodId: string | null;
  paymentIntentId: string | null;
  transferId: string | null;
  refundedCents: number;
}

/** The mentor's part of a booking: price − fee, less their share of what was refunded. */
export function mentorShare(b: { priceCents: number; feeCents: number; refundedCents: number }): number {
  const share = b.priceCents - b.feeCents;
  return b.priceCents === 0 ? 0 : Math.max(0, share - Math.round((share * b.refundedCents) / b.priceCents));
}

export interface Earnings {
  testMode: boolean;
  /** Amounts in the account per currency, as Stripe reports them. */
  available: { amount: number; currency: string }[];
  pending: { amount: number; currency: string }[];
  payouts: { id: string; amount: number; currency: string; status: string; arrivalDate: string }[];
}

export interface BookingPayments {
  readonly mode: 'stripe' | 'test';
  /** Where the seeker pays (or saves a card) for a held booking. */
  checkoutUrl(booking: PayableBooking, seeker: { id: string; email: string }, mentorName: string): Promise<string>;
  /** The card a completed setup-mode Checkout saved. */
  savedPaymentMethod(setupIntentId: string): Promise<string>;
  /** Charges a saved card off-session; the PaymentIntent's id. */
  charge(booking: PayableBooking): Promise<string>;
  /** Refunds `cents` of the booking's payment, reversing the mentor's share of a transfer already made. */
  refund(booking: PayableBooking, cents: number): Promise<string>;
  /** Pays the mentor `amount` (price − fee, less their share of any partial refund). */
  transfer(booking: PayableBooking, destination: string, amount: number): Promise<string>;
  /** Cancels a Checkout that will not be used (the hold ran out). */
  expireCheckout(sessionId: string): Promise<void>;
  /** An Express account for the mentor (created once) and a Stripe-hosted onboarding link. */
  onboardingUrl(mentor: { id: string; email: string }, accountId: string | null): Promise<{ accountId: string; url: string }>;
  earnings(accountId: string): Promise<Earnings>;
}

export function createBookingPayments({ billing, db, publicUrl, now = () => new Date() }: { billing: Billing; db: PrismaClient; publicUrl: string; now?: () => Date }): BookingPayments {
  const page = (path: string) => new URL(path, publicUrl).href;

  if (billing.mode === 'test') {
    return {
      mode: 'test',
      async checkoutUrl(booking) {
        return page(`/bookings/${booking.id}/test-checkout`);
      },
      async savedPaymentMethod() {
        return 'pm_test_card_visa';
      },
      async charge() {
        return `pi_test_${randomUUID()}`;
      },
      async refund() {
        return `re_test_${randomUUID()}`;
      },
      async transfer() {
        return `tr_test_${randomUUID()}`;
      },
      async expireCheckout() {},
      async onboardingUrl(_mentor, accountId) {
        const id = accountId ?? `acct_test_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
        return { accountId: id, url: page('/mentor/payouts/test-onboarding') };
      },
      async earnings(accountId) {
        // The test mode's "balance": what transfers would have paid, not money anywhere.
        const rows = await db.booking.findMany({ where: { mentor: { stripeAccountId: accountId }, transferId: { not: null } }, select: { priceCents: true, feeCents: true, currency: true, refundedCents: true } });
        const sums = new Map<string, number>();
        for (const r of rows) sums.set(r.currency, (sums.get(r.currency) ?? 0) + mentorShare(r));
        return { testMode: true, available: [...sums].map(([currency, amount]) => ({ amount, currency })), pending: [], payouts: [] };
      },
    };
  }

  const stripe: Stripe = billing.stripe;
  return {
    mode: 'stripe',
    async checkoutUrl(booking, seeker, mentorName) {
      const customer = booking.stripeCustomerId ?? (await stripe.customers.create({ email: seeker.email, metadata: { userId: seeker.id } }, { idempotencyKey: `booking-customer-${booking.id}` })).id;
      await db.booking.update({ where: { id: booking.id }, data: { stripeCustomerId: customer } });
      const plan = paymentPlan(booking, now());
      const common = {
        customer,
        client_reference_id: booking.id,
        metadata: { bookingId: booking.id, userId: seeker.id },
        // The session lives as long as the hold (Stripe's minimum is 30 minutes).
        expires_at: Math.max(Math.floor((booking.holdExpiresAt?.getTime() ?? now().getTime()) / 1000), Math.floor(now().getTime() / 1000) + 30 * 60 + 5),
        success_url: page(`/bookings/${booking.id}?checkout=done`),
        cancel_url: page(`/bookings/${booking.id}?checkout=canceled`),
      };
      const session =
        plan.kind === 'pay_now'
          ? await stripe.checkout.sessions.create(
              {
                ...common,
                mode: 'payment',
                line_items: [{ quantity: 1, price_data: { currency: booking.currency, unit_amount: booking.priceCents, product_data: { name: `${booking.minutes}-minute call with ${mentorName}` } } }],
                payment_intent_data: { transfer_group: booking.id, metadata: { bookingId: booking.id } },
              },
              { idempotencyKey: `booking-checkout-${booking.id}` },
            )
          : await stripe.checkout.sessions.create(
              { ...common, mode: 'setup', currency: booking.currency, setup_intent_data: { metadata: { bookingId: booking.id } } },
              { idempotencyKey: `booking-setup-${booking.id}` },
            );
      if (!session.url) throw new HttpError(502, 'STRIPE_FAILED', 'Stripe did not return a checkout page');
      await db.booking.update({ where: { id: booking.id }, data: { checkoutSessionId: session.id } });
      return session.url;
    },
    async savedPaymentMethod(setupIntentId) {
      const intent = await stripe.setupIntents.retrieve(setupIntentId);
      const method = typeof intent.payment_method === 'string' ? intent.payment_method : intent.payment_method?.id;
      if (!method) throw new Error(`setup intent ${setupIntentId} has no payment method`);
      return method;
    },
    async charge(booking) {
      if (!booking.stripeCustomerId || !booking.paymentMethodId) throw new Error(`booking ${booking.id} has no saved card`);
      const intent = await stripe.paymentIntents.create(
        { amount: booking.priceCents, currency: booking.currency, customer: booking.stripeCustomerId, payment_method: booking.paymentMethodId, off_session: true, confirm: true, transfer_group: booking.id, metadata: { bookingId: booking.id } },
        { idempotencyKey: `booking-charge-${booking.id}` },
      );
      return intent.id;
    },
    async refund(booking, cents) {
      if (!booking.paymentIntentId) throw new Error(`booking ${booking.id} was not paid`);
      if (booking.transferId) {
        // The mentor was paid already: take their share back first (in proportion to the refund).
        const share = mentorShare(booking) - mentorShare({ ...booking, refundedCents: cents });
        if (share > 0) await stripe.transfers.createReversal(booking.transferId, { amount: share, metadata: { bookingId: booking.id } }, { idempotencyKey: `booking-reversal-${booking.id}` });
      }
      const refund = await stripe.refunds.create({ payment_intent: booking.paymentIntentId, amount: cents, metadata: { bookingId: booking.id } }, { idempotencyKey: `booking-refund-${booking.id}` });
      return refund.id;
    },
    async transfer(booking, destination, amount) {
      const transfer = await stripe.transfers.create(
        { amount, currency: booking.currency, destination, transfer_group: booking.id, metadata: { bookingId: booking.id } },
        { idempotencyKey: `booking-transfer-${booking.id}` },
      );
      return transfer.id;
    },
    async expireCheckout(sessionId) {
      await stripe.checkout.sessions.expire(sessionId).catch((error: { code?: string }) => {
        // Completed or expired in the meantime: nothing to cancel.
        if (error.code !== 'resource_missing' && (error as { statusCode?: number }).statusCode !== 400) throw error;
      });
    },
    async onboardingUrl(mentor, accountId) {
      const id =
        accountId ??
        (await stripe.accounts.create({ type: 'express', email: mentor.email, metadata: { userId: mentor.id }, capabilities: { transfers: { requested: true } } }, { idempotencyKey: `mentor-account-${mentor.id}` })).id;
      const link = await stripe.accountLinks.create({ account: id, type: 'account_onboarding', refresh_url: page('/mentor/payouts?onboarding=refresh'), return_url: page('/mentor/payouts?onboarding=done') });
      return { accountId: id, url: link.url };
    },
    async earnings(accountId) {
      const [balance, payouts] = await Promise.all([stripe.balance.retrieve({}, { stripeAccount: accountId }), stripe.payouts.list({ limit: 20 }, { stripeAccount: accountId })]);
      return {
        testMode: false,
        available: balance.available.map(({ amount, currency }) => ({ amount, currency })),
        pending: balance.pending.map(({ amount, currency }) => ({ amount, currency })),
        payouts: payouts.data.map((p) => ({ id: p.id, amount: p.amount, currency: p.currency, status: p.status, arrivalDate: new Date(p.arrival_date * 1000).toISOString() })),
      };
    },
  };
}
