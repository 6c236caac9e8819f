// Plans (public), my usage against my plan's limits, Stripe Checkout and the Customer Portal, the
// webhook, and the local test mode's checkout.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { PaymentLink, PlanBody, Usage } from '@rehearse/protocol';
import { Type } from 'typebox';
import { ErrorBody, HttpError } from '../plugins/errors.ts';
import type { AnswerReviewService } from '../answerReviews/service.ts';
import type { BookingService } from '../bookings/service.ts';
import { PLANS, planOf, usageOf } from './plans.ts';
import { testSubscription, type Billing } from './stripe.ts';
import { deliverTestEvent } from './testEvents.ts';
import { handleStripeEvent } from './webhooks.ts';

const PlanChoice = Type.Object({ plan: Type.Union([Type.Literal('pro'), Type.Literal('recruiter')]) }, { additionalProperties: false });
const Redirect = PaymentLink;
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 502: ErrorBody };


const billingRoutes: FastifyPluginAsyncTypebox<{ billing: Billing; bookings: BookingService; answerReviews: AnswerReviewService }> = async (app, { billing, bookings, answerReviews }) => {
  app.get('/api/billing/plans', { schema: { response: { 200: Type.Object({ plans: Type.Array(PlanBody) }) } } }, async () => ({ plans: Object.values(PLANS) }));

  app.get(
    '/api/billing/usage',
    { schema: { response: { 200: Usage, 401: ErrorBody } }, preHandler: app.requireUser },
    async (request) => {
      const userId = request.session!.user.id;
      const [plan, usage] = await Promise.all([planOf(app.db, userId), usageOf(app.db, userId)]);
      return { plan, usage, billingMode: billing.mode };
    },
  );

  app.post('/api/billing/checkout', { schema: { body: PlanChoice, response: { 200: Redirect, ...errors } }, preHandler: app.requireUser }, async (request) => {
    const { user } = request.session!;
    if (!user.email) throw new HttpError(409, 'SIGN_UP_FIRST', 'Sign up with an email address before subscribing');
    return { url: await billing.checkoutUrl(user, request.body.plan), testMode: billing.mode === 'test' };
  });

  app.post('/api/billing/portal', { schema: { response: { 200: Redirect, ...errors } }, preHandler: app.requireUser }, async (request) => {
    return { url: await billing.portalUrl(request.session!.user.id), testMode: billing.mode === 'test' };
  });

  // Stripe's webhook: the signature covers the exact bytes, so this route keeps the raw body.
  await app.register(async (raw) => {
    raw.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
    raw.post('/api/billing/webhook', { config: { crossSite: true }, schema: { response: { 200: Type.Object({ received: Type.Boolean(), outcome: Type.String() }), 400: ErrorBody, 409: ErrorBody } } }, async (request) => {
      const signature = request.headers['stripe-signature'];
      // Stripe signs a connected account's events (a mentor's Express account) with the Connect
      // endpoint's secret and the platform's own with the platform endpoint's: either may verify.
      let event;
      for (const secret of billing.webhookSecrets) {
        try {
          event = await billing.stripe.webhooks.constructEventAsync(request.body as Buffer, String(signature ?? ''), secret);
          break;
        } catch {
          // the next secret, if any
        }
      }
      if (!event) throw new HttpError(400, 'WEBHOOK_SIGNATURE_INVALID', 'The Stripe signature does not match this body');
      const result = await handleStripeEvent(event, { db: app.db, billing, bookings, answerReviews });
      if (result.outcome === 'rejected') {
        request.log.warn({ eventId: (event as { id?: unknown }).id, reason: result.reason }, 'signed Stripe event rejected');
        throw new HttpError(400, 'WEBHOOK_EVENT_INVALID', `The event cannot be used: ${result.reason}`);
      }
      // Stripe delivers an event again until it gets a 2xx: the delivery in progress may still fail.
      if (result.outcome === 'in_progress') throw new HttpError(409, 'WEBHOOK_IN_PROGRESS', 'Another delivery of this event is being handled; deliver it again later');
      return { received: true, outcome: result.outcome };
    });
  });

  // The local test mode (no Stripe keys): completing or canceling "checkout" sends a locally
  // signed event through the webhook above, as Stripe would. No card is charged.
  const testEvent = async (userId: string, plan: 'pro' | 'recruiter', status: 'active' | 'canceled') => {
    if (billing.mode !== 'test') throw new HttpError(404, 'NOT_FOUND', 'Billing runs on Stripe here');
    const current = await app.db.subscription.findUnique({ where: { userId } });
    const subscription = testSubscription({ userId, plan, status, id: current?.stripeSubscriptionId ?? undefined });
    await deliverTestEvent(app, billing, status === 'active' ? 'customer.subscription.updated' : 'customer.subscription.deleted', subscription);
  };

  app.post('/api/billing/test-checkout/complete', { schema: { body: PlanChoice, response: { 200: Type.Object({ plan: Type.String() }), ...errors } }, preHandler: app.requireUser }, async (request) => {
    if (!request.session!.user.email) throw new HttpError(409, 'SIGN_UP_FIRST', 'Sign up with an email address before subscribing');
    await testEvent(request.session!.user.id, request.body.plan, 'active');
    return { plan: (await planOf(app.db, request.session!.user.id)).id };
  });

  app.post('/api/billing/test-checkout/cancel', { schema: { response: { 200: Type.Object({ plan: Type.String() }), ...errors } }, preHandler: app.requireUser }, async (request) => {
    const current = await app.db.subscription.findUnique({ where: { userId: request.session!.user.id } });
    if (!current || current.plan === 'free') throw new HttpError(409, 'NO_SUBSCRIPTION', 'There is no subscription to cancel');
    await testEvent(request.session!.user.id, current.plan, 'canceled');
    return { plan: (await planOf(app.db, request.session!.user.id)).id };
  });
};

export default billingRoutes;
