// Money for mentors' work — booked calls and recorded-answer reviews — with Stripe Connect
// (separate charges and transfers): the seeker pays the platform through Checkout (for a call more
// than six days off, Checkout's setup mode saves the card, charged off-session closer to the
// call); once the work is done and the dispute window passed, the mentor's Express account gets a
// transfer of the price less our fee; refunds reverse a transfer already made. Mentors onboard
// through Stripe-hosted account links. Without Stripe keys the local test mode stands in: the same
// steps, `*_test_*` ids, checkout completed by a locally signed event through the same webhook; no
// card is charged and no money moves.
import { randomUUID } from 'node:crypto';
import type Stripe from 'stripe';
import type { PrismaClient } from '@rehearse/db';
import type { Billing } from '../billing/stripe.ts';
import { HttpError } from '../plugins/errors.ts';

/** What is being paid for: its metadata key in Stripe, its idempotency keys and its pages. */
export type Purpose = 'booking' | 'answer_review';
const METADATA_KEY: Record<Purpose, string> = { booking: 'bookingId', answer_review: 'answerReviewId' };
const PAGE: Record<Purpose, string> = { booking: '/bookings', answer_review: '/reviews' };

/** A thing a seeker pays a mentor for. */
export interface Payable {
  purpose: Purpose;
  id: string;
  priceCents: number;
  feeCents: number;
  currency: string;
  refundedCents: number;
  stripeCustomerId: string | null;
  paymentIntentId: string | null;
  transferId: string | null;
}

/** The mentor's part: price − fee, less their share of what was refunded. */
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

export interface CheckoutRequest {
  item: Payable;
  seeker: { id: string; email: string };
  /** What the seeker buys, as Checkout shows it. */
  productName: string;
  /** `setup`: save the card now and charge it later (far-off calls). */
  mode: 'payment' | 'setup';
  /** The Checkout lives until then (Stripe's minimum is 30 minutes). */
  expiresAt: Date | null;
}

export interface BookingPayments {
  readonly mode: 'stripe' | 'test';
  /** Where the seeker pays (or saves a card); the caller keeps the session and customer ids. */
  checkout(request: CheckoutRequest): Promise<{ url: string; sessionId: string | null; customerId: string | null }>;
  /** The card a completed setup-mode Checkout saved. */
  savedPaymentMethod(setupIntentId: string): Promise<string>;
  /** Charges a saved card off-session; the PaymentIntent's id. */
  charge(item: Payable, paymentMethodId: string): Promise<string>;
  /** Refunds `cents` of the payment, reversing the mentor's share of a transfer already made. */
  refund(item: Payable, cents: number): Promise<string>;
  /** Pays the mentor `amount` (price − fee, less their share of any partial refund). */
  transfer(item: Payable, destination: string, amount: number): Promise<string>;
  /** Cancels a Checkout that will not be used (the hold ran out). */
  expireCheckout(sessionId: string): Promise<void>;
  /** An Express account for the mentor (created once) and a Stripe-hosted onboarding link. */
  onboardingUrl(mentor: { id: string; email: string }, accountId: string | null): Promise<{ accountId: string; url: string }>;
  earnings(accountId: string): Promise<Earnings>;
}

export function createBookingPayments({ billing, db, publicUrl, now = () => new Date() }: { billing: Billing; db: PrismaClient; publicUrl: string; now?: () => Date }): BookingPayments {
  const page = (path: string) => new URL(path, publicUrl).href;
  const meta = (item: Payable) => ({ [METADATA_KEY[item.purpose]]: item.id });
  const key = (item: Payable, step: string) => `${item.purpose}-${step}-${item.id}`;

  if (billing.mode === 'test') {
    return {
      mode: 'test',
      async checkout({ item }) {
        return { url: page(`${PAGE[item.purpose]}/${item.id}/test-checkout`), sessionId: null, customerId: null };
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
        const paid = { where: { mentor: { stripeAccountId: accountId }, transferId: { not: null } }, select: { priceCents: true, feeCents: true, currency: true, refundedCents: true } } as const;
        const rows = [...(await db.booking.findMany(paid)), ...(await db.answerReview.findMany(paid))];
        const sums = new Map<string, number>();
        for (const r of rows) sums.set(r.currency, (sums.get(r.currency) ?? 0) + mentorShare(r));
        return { testMode: true, available: [...sums].map(([currency, amount]) => ({ amount, currency })), pending: [], payouts: [] };
      },
    };
  }

  const stripe: Stripe = billing.stripe;
  return {
    mode: 'stripe',
    async checkout({ item, seeker, productName, mode, expiresAt }) {
      const customer = item.stripeCustomerId ?? (await stripe.customers.create({ email: seeker.email, metadata: { userId: seeker.id } }, { idempotencyKey: key(item, 'customer') })).id;
      const common = {
        customer,
        client_reference_id: item.id,
        metadata: { ...meta(item), userId: seeker.id },
        expires_at: Math.max(Math.floor((expiresAt?.getTime() ?? 0) / 1000), Math.floor(now().getTime() / 1000) + 30 * 60 + 5),
        success_url: page(`${PAGE[item.purpose]}/${item.id}?checkout=done`),
        cancel_url: page(`${PAGE[item.purpose]}/${item.id}?checkout=canceled`),
      };
      const session =
        mode === 'payment'
          ? await stripe.checkout.sessions.create(
              {
                ...common,
                mode: 'payment',
                line_items: [{ quantity: 1, price_data: { currency: item.currency, unit_amount: item.priceCents, product_data: { name: productName } } }],
                payment_intent_data: { transfer_group: item.id, metadata: meta(item) },
              },
              { idempotencyKey: key(item, 'checkout') },
            )
          : await stripe.checkout.sessions.create({ ...common, mode: 'setup', currency: item.currency, setup_intent_data: { metadata: meta(item) } }, { idempotencyKey: key(item, 'setup') });
      if (!session.url) throw new HttpError(502, 'STRIPE_FAILED', 'Stripe did not return a checkout page');
      return { url: session.url, sessionId: session.id, customerId: customer };
    },
    async savedPaymentMethod(setupIntentId) {
      const intent = await stripe.setupIntents.retrieve(setupIntentId);
      const method = typeof intent.payment_method === 'string' ? intent.payment_method : intent.payment_method?.id;
      if (!method) throw new Error(`setup intent ${setupIntentId} has no payment method`);
      return method;
    },
    async charge(item, paymentMethodId) {
      if (!item.stripeCustomerId) throw new Error(`${item.purpose} ${item.id} has no Stripe customer`);
      const intent = await stripe.paymentIntents.create(
        { amount: item.priceCents, currency: item.currency, customer: item.stripeCustomerId, payment_method: paymentMethodId, off_session: true, confirm: true, transfer_group: item.id, metadata: meta(item) },
        { idempotencyKey: key(item, 'charge') },
      );
      return intent.id;
    },
    async refund(item, cents) {
      if (!item.paymentIntentId) throw new Error(`${item.purpose} ${item.id} was not paid`);
      if (item.transferId) {
        // The mentor was paid already: take their share back first (in proportion to the refund).
        const share = mentorShare(item) - mentorShare({ ...item, refundedCents: cents });
        if (share > 0) await stripe.transfers.createReversal(item.transferId, { amount: share, metadata: meta(item) }, { idempotencyKey: key(item, 'reversal') });
      }
      const refund = await stripe.refunds.create({ payment_intent: item.paymentIntentId, amount: cents, metadata: meta(item) }, { idempotencyKey: key(item, 'refund') });
      return refund.id;
    },
    async transfer(item, destination, amount) {
      const transfer = await stripe.transfers.create({ amount, currency: item.currency, destination, transfer_group: item.id, metadata: meta(item) }, { idempotencyKey: key(item, 'transfer') });
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
