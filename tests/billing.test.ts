// Stripe billing through the official SDK against a local server answering its REST calls, and
// webhooks with real signatures; then the local test mode without keys.
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '@rehearse/api';
import { signUp, startApi, startGuest, useApi, type TestApi } from './support/api.ts';
import { startStripeServer, stripeSubscription, type StripeTestServer } from './support/stripeServer.ts';

const WEBHOOK_SECRET = 'whsec_test_secret';
const signer = new Stripe('sk_test_signer');

describe('billing with Stripe', () => {
  let stripe: StripeTestServer;
  let api: TestApi;
  let app: App;
  let origin: string;

  beforeAll(async () => {
    stripe = await startStripeServer();
    api = await startApi({ STRIPE_SECRET_KEY: 'sk_test_rehearse', STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET, STRIPE_API_URL: stripe.url, STRIPE_PRICE_PRO: 'price_pro', STRIPE_PRICE_RECRUITER: 'price_recruiter' });
    ({ app, origin } = api);
  });

  afterAll(async () => {
    await api?.stop();
    await stripe?.close();
  });

  const deliver = (event: object, secret = WEBHOOK_SECRET) => {
    const payload = JSON.stringify(event);
    return app.inject({ method: 'POST', url: '/api/billing/webhook', headers: { 'content-type': 'application/json', 'stripe-signature': signer.webhooks.generateTestHeaderString({ payload, secret }) }, payload });
  };
  const event = (id: string, type: string, object: object) => ({ id, object: 'event', type, created: Math.floor(Date.now() / 1000), data: { object } });
  const planOf = async (cookie: string) => (await app.inject({ method: 'GET', url: '/api/billing/usage', headers: { cookie } })).json().plan.id as string;

  it('opens Checkout for a subscription to the plan’s price, and the portal for the customer', async () => {
    const { cookie, id } = await signUp(app, origin, 'paying@example.com');
    const checkout = await app.inject({ method: 'POST', url: '/api/billing/checkout', headers: { cookie, origin }, payload: { plan: 'pro' } });
    expect(checkout.statusCode, checkout.body).toBe(200);
    expect(checkout.json()).toEqual({ url: expect.stringMatching(/^https:\/\/checkout\.stripe\.test\//), testMode: false });
    const customer = stripe.requests.find((r) => r.path === '/v1/customers')!;
    expect(customer.body).toMatchObject({ email: 'paying@example.com', 'metadata[userId]': id });
    const session = stripe.requests.find((r) => r.path === '/v1/checkout/sessions')!;
    expect(session.body).toMatchObject({ mode: 'subscription', 'line_items[0][price]': 'price_pro', 'line_items[0][quantity]': '1', client_reference_id: id, 'subscription_data[metadata][userId]': id });

    const portal = await app.inject({ method: 'POST', url: '/api/billing/portal', headers: { cookie, origin } });
    expect(portal.json().url).toMatch(/^https:\/\/billing\.stripe\.test\//);
    const { stripeCustomerId } = await app.db.subscription.findUniqueOrThrow({ where: { userId: id } });
    expect(stripeCustomerId).toMatch(/^cus_/);
    expect(stripe.requests.find((r) => r.path === '/v1/billing_portal/sessions')!.body.customer).toBe(stripeCustomerId);
    const { cookie: guestCookie } = await startGuest(app, origin);
    expect((await app.inject({ method: 'POST', url: '/api/billing/checkout', headers: { cookie: guestCookie, origin }, payload: { plan: 'pro' } })).json().error.code).toBe('SIGN_UP_FIRST');
  });

  it('applies one checkout.session.completed delivered 50 times at once exactly once', async () => {
    const { cookie, id } = await signUp(app, origin, 'fifty@example.com');
    stripe.subscriptions.set('sub_fifty', stripeSubscription({ id: 'sub_fifty', customer: 'cus_fifty', userId: id, price: 'price_pro', status: 'active' }));
    const completed = event('evt_fifty', 'checkout.session.completed', { id: 'cs_fifty', object: 'checkout.session', mode: 'subscription', subscription: 'sub_fifty', customer: 'cus_fifty' });
    const responses = await Promise.all(Array.from({ length: 50 }, () => deliver(completed)));
    expect(responses.every((r) => r.statusCode === 200)).toBe(true);
    const outcomes = responses.map((r) => r.json().outcome as string);
    expect(outcomes.filter((o) => o === 'handled')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'duplicate')).toHaveLength(49);
    // One effect: the subscription was fetched once, and one event row is done.
    expect(stripe.retrievals.get('sub_fifty')).toBe(1);
    expect(await app.db.stripeEvent.findUniqueOrThrow({ where: { id: 'evt_fifty' } })).toMatchObject({ processedAt: expect.any(Date) });
    expect(await planOf(cookie)).toBe('pro');
  });

  it('ends on the right plan whatever order the subscription events arrive in', async () => {
    const { cookie, id } = await signUp(app, origin, 'ordered@example.com');
    const sub = (status: string) => stripeSubscription({ id: 'sub_order', customer: 'cus_order', userId: id, price: 'price_pro', status });
    // Stripe now says: canceled. The "updated → active" event arrives after the "deleted" one.
    stripe.subscriptions.set('sub_order', sub('canceled'));
    await deliver(event('evt_o2', 'customer.subscription.deleted', sub('canceled')));
    await deliver(event('evt_o1', 'customer.subscription.updated', sub('active')));
    expect(await planOf(cookie)).toBe('free');
    // And the other way round: the latest state is active on Recruiter; a stale incomplete event comes last.
    stripe.subscriptions.set('sub_order', stripeSubscription({ id: 'sub_order', customer: 'cus_order', userId: id, price: 'price_recruiter', status: 'active' }));
    await deliver(event('evt_o4', 'customer.subscription.updated', sub('active')));
    await deliver(event('evt_o3', 'customer.subscription.created', sub('incomplete')));
    expect(await planOf(cookie)).toBe('recruiter');
  });

  it('rejects a bad signature and a tampered body, and answers 2xx to types it does not handle', async () => {
    const forged = await deliver(event('evt_forged', 'customer.subscription.updated', {}), 'whsec_someone_else');
    expect(forged.statusCode).toBe(400);
    expect(forged.json().error.code).toBe('WEBHOOK_SIGNATURE_INVALID');
    const payload = JSON.stringify(event('evt_tamper', 'customer.subscription.updated', {}));
    const header = signer.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET });
    const tampered = await app.inject({ method: 'POST', url: '/api/billing/webhook', headers: { 'content-type': 'application/json', 'stripe-signature': header }, payload: payload.replace('evt_tamper', 'evt_tamperd') });
    expect(tampered.statusCode).toBe(400);
    const unsigned = await app.inject({ method: 'POST', url: '/api/billing/webhook', headers: { 'content-type': 'application/json' }, payload });
    expect(unsigned.statusCode).toBe(400);
    const other = await deliver(event('evt_invoice', 'invoice.paid', { id: 'in_1', object: 'invoice' }));
    expect(other.json()).toEqual({ received: true, outcome: 'ignored' });
    expect(await app.db.stripeEvent.findUnique({ where: { id: 'evt_forged' } })).toBeNull();
  });
});

describe('billing in the local test mode (no Stripe keys)', () => {
  const api = useApi();
  let app: App;
  let origin: string;

  beforeAll(() => {
    ({ app, origin } = api);
  });

  it('completes checkout with a locally signed event through the same webhook, and cancels the same way', async () => {
    const { cookie } = await signUp(app, origin, 'testmode@example.com');
    const checkout = await app.inject({ method: 'POST', url: '/api/billing/checkout', headers: { cookie, origin }, payload: { plan: 'pro' } });
    expect(checkout.json()).toEqual({ url: expect.stringContaining('/billing/test-checkout?plan=pro'), testMode: true });
    const usage = (await app.inject({ method: 'GET', url: '/api/billing/usage', headers: { cookie } })).json();
    expect(usage).toMatchObject({ plan: { id: 'free' }, billingMode: 'test' });

    const complete = await app.inject({ method: 'POST', url: '/api/billing/test-checkout/complete', headers: { cookie, origin }, payload: { plan: 'pro' } });
    expect(complete.statusCode, complete.body).toBe(200);
    expect(complete.json()).toEqual({ plan: 'pro' });
    expect(await app.db.stripeEvent.count({ where: { type: 'customer.subscription.updated' } })).toBe(1);
    const cancel = await app.inject({ method: 'POST', url: '/api/billing/test-checkout/cancel', headers: { cookie, origin } });
    expect(cancel.json()).toEqual({ plan: 'free' });
    // An unsigned event is refused here too: the test mode is not a back door.
    const forged = await app.inject({ method: 'POST', url: '/api/billing/webhook', headers: { 'content-type': 'application/json', 'stripe-signature': 't=1,v1=00' }, payload: '{}' });
    expect(forged.statusCode).toBe(400);
  });
});
