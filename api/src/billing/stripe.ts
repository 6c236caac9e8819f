// Stripe billing: Checkout for subscribing, the Customer Portal for changes and cancellation, and
// webhooks that keep the `subscriptions` row true. The plan is always derived from the latest
// subscription object (fetched from Stripe when an event arrives), so webhooks may come in any
// order. Without Stripe keys the local test mode stands in: checkout completes at once by sending
// a locally signed event through the same webhook path; no card is ever charged.
import { randomBytes, randomUUID } from 'node:crypto';
import Stripe from 'stripe';
import type { Config } from '@rehearse/core/config';
import type { PrismaClient } from '@rehearse/db';
import { HttpError } from '../plugins/errors.ts';
import type { PlanId } from './plans.ts';

export type PaidPlan = Exclude<PlanId, 'free'>;

/** What the webhook handlers need of a subscription, from Stripe or from the test mode. */
interface SubscriptionFacts {
  id: string;
  customer: string;
  status: string;
  plan: PaidPlan | null;
  userId: string | null;
  currentPeriodEnd: Date | null;
  cancelAtPeriodEnd: boolean;
}

export interface Billing {
  /** "stripe", or "test": the clearly labelled local mode without keys. */
  readonly mode: 'stripe' | 'test';
  readonly webhookSecret: string;
  /** Every secret a delivery may be signed with: the platform endpoint's, then the Connect endpoint's. */
  readonly webhookSecrets: readonly string[];
  /** The Stripe SDK, also in test mode (it signs and verifies the local events). */
  readonly stripe: Stripe;
  checkoutUrl(user: { id: string; email: string | null }, plan: PaidPlan): Promise<string>;
  portalUrl(userId: string): Promise<string>;
  /** The subscription as it is now (Stripe mode: fetched; test mode: as the event says). */
  latest(subscription: Stripe.Subscription): Promise<SubscriptionFacts>;
}

function facts(subscription: Stripe.Subscription, priceToPlan: Map<string, PaidPlan>): SubscriptionFacts {
  const item = subscription.items?.data?.[0];
  const metadataPlan = subscription.metadata?.plan;
  const plan = (item?.price?.id && priceToPlan.get(item.price.id)) || (metadataPlan === 'pro' || metadataPlan === 'recruiter' ? metadataPlan : null);
  // Stripe moved the period end from the subscription to its items (2025 API versions); either will do.
  const periodEnd = (item as { current_period_end?: number } | undefined)?.current_period_end ?? (subscription as { current_period_end?: number }).current_period_end;
  return {
    id: subscription.id,
    customer: typeof subscription.customer === 'string' ? subscription.customer : subscription.customer.id,
    status: subscription.status,
    plan,
    userId: subscription.metadata?.userId ?? null,
    currentPeriodEnd: periodEnd ? new Date(periodEnd * 1000) : null,
    cancelAtPeriodEnd: subscription.cancel_at_period_end ?? false,
  };
}

export function createBilling({ config, db }: { config: Config; db: PrismaClient }): Billing {
  const { stripeSecretKey, stripeWebhookSecret, stripeConnectWebhookSecret, stripeApiUrl, prices } = config.billing;
  const publicUrl = config.publicUrl;
  const priceToPlan = new Map<string, PaidPlan>(
    (Object.entries(prices) as [PaidPlan, string | null][]).filter((e): e is [PaidPlan, string] => e[1] !== null).map(([plan, price]) => [price, plan]),
  );
  const api = stripeApiUrl ? new URL(stripeApiUrl) : null;
  const stripe = new Stripe(stripeSecretKey ?? 'sk_test_local_mode', {
    ...(api ? { host: api.hostname, port: api.port || (api.protocol === 'https:' ? 443 : 80), protocol: api.protocol === 'https:' ? ('https' as const) : ('http' as const) } : {}),
    maxNetworkRetries: 2,
    telemetry: false,
  });

  if (!stripeSecretKey) {
    // Test mode: a secret of its own, unless one is configured (it must verify what it signs).
    const webhookSecret = stripeWebhookSecret ?? `whsec_local_${randomBytes(24).toString('hex')}`;
    return {
      mode: 'test',
      webhookSecret,
      webhookSecrets: [webhookSecret],
      stripe,
      async checkoutUrl(_user, plan) {
        return new URL(`/billing/test-checkout?plan=${plan}`, publicUrl).href;
      },
      async portalUrl() {
        return new URL('/account/billing', publicUrl).href;
      },
      async latest(subscription) {
        return facts(subscription, priceToPlan);
      },
    };
  }
  if (!stripeWebhookSecret) throw new Error('STRIPE_WEBHOOK_SECRET is required with STRIPE_SECRET_KEY');

  /** The user's Stripe customer, created the first time they check out. */
  async function customerOf(user: { id: string; email: string | null }): Promise<string> {
    const row = await db.subscription.findUnique({ where: { userId: user.id } });
    if (row?.stripeCustomerId) return row.stripeCustomerId;
    const customer = await stripe.customers.create({ email: user.email ?? undefined, metadata: { userId: user.id } }, { idempotencyKey: `customer-${user.id}` });
    await db.subscription.upsert({
      where: { userId: user.id },
      create: { userId: user.id, plan: 'free', status: 'none', stripeCustomerId: customer.id },
      update: { stripeCustomerId: customer.id },
    });
    return customer.id;
  }

  return {
    mode: 'stripe',
    webhookSecret: stripeWebhookSecret,
    webhookSecrets: [stripeWebhookSecret, ...(stripeConnectWebhookSecret ? [stripeConnectWebhookSecret] : [])],
    stripe,
    async checkoutUrl(user, plan) {
      const price = prices[plan];
      if (!price) throw new HttpError(409, 'PLAN_NOT_FOR_SALE', `The ${plan} plan has no Stripe price configured here`);
      const session = await stripe.checkout.sessions.create({
        mode: 'subscription',
        customer: await customerOf(user),
        line_items: [{ price, quantity: 1 }],
        client_reference_id: user.id,
        metadata: { userId: user.id, plan },
        subscription_data: { metadata: { userId: user.id, plan } },
        success_url: new URL('/account/billing?checkout=done', publicUrl).href,
        cancel_url: new URL('/account/billing?checkout=canceled', publicUrl).href,
      });
      if (!session.url) throw new HttpError(502, 'STRIPE_FAILED', 'Stripe did not return a checkout page');
      return session.url;
    },
    async portalUrl(userId) {
      const row = await db.subscription.findUnique({ where: { userId } });
      if (!row?.stripeCustomerId) throw new HttpError(409, 'NO_SUBSCRIPTION', 'There is no subscription to manage yet');
      const session = await stripe.billingPortal.sessions.create({ customer: row.stripeCustomerId, return_url: new URL('/account/billing', publicUrl).href });
      return session.url;
    },
    async latest(subscription) {
      return facts(await stripe.subscriptions.retrieve(subscription.id), priceToPlan);
    },
  };
}

/** A subscription object as Stripe would send it, for the test mode's locally signed events. */
export function testSubscription({ userId, plan, status, id = `sub_test_${randomUUID()}` }: { userId: string; plan: PaidPlan; status: 'active' | 'canceled'; id?: string }): Stripe.Subscription {
  const periodEnd = Math.floor(Date.now() / 1000) + 30 * 24 * 60 * 60;
  return {
    id,
    object: 'subscription',
    customer: `cus_test_${userId}`,
    status,
    cancel_at_period_end: false,
    metadata: { userId, plan, testMode: 'true' },
    items: { object: 'list', data: [{ id: `si_test_${userId}`, current_period_end: periodEnd }], has_more: false, url: '' },
  } as unknown as Stripe.Subscription;
}
