// Stripe billing through the official SDK against a local server answering its REST calls, and
// webhooks with real signatures; then the local test mode without keys.
import { spawn } from 'node:child_process';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { App } from '@rehearse/api';
import { WEBHOOK_LEASE_MS } from '@rehearse/api/limits';
import { createPrismaClient } from '@rehearse/db';
import { signUp, startApi, startGuest, useApi, type TestApi } from './support/api.ts';
import { freePort } from './support/ports.ts';
import { repoRoot } from './support/product.ts';
import { startServices, type TestServices } from './support/services.ts';
import { startStripeServer, stripeSubscription, type StripeTestServer } from '@rehearse/testkit/stripeServer';

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
    // Deliveries that found the first one still at work get a 409 (so Stripe would deliver again:
    // the first might yet fail); those that came after it finished hear "duplicate".
    const outcomes = responses.map((r) => (r.statusCode === 409 ? r.json().error.code : r.json().outcome) as string);
    expect(outcomes.filter((o) => o === 'handled')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'duplicate' || o === 'WEBHOOK_IN_PROGRESS')).toHaveLength(49);
    expect((await deliver(completed)).json().outcome).toBe('duplicate');
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

  it('answers a signed but malformed event with 400 and keeps a record of it, with no effect', async () => {
    const { cookie } = await signUp(app, origin, 'malformed@example.com');
    for (const [id, bad] of [
      ['evt_no_object', { id: 'evt_no_object', object: 'event', type: 'customer.subscription.updated', created: 1, data: {} }],
      ['evt_wrong_object', event('evt_wrong_object', 'customer.subscription.updated', { id: 'in_1', object: 'invoice' })],
      ['evt_no_customer', event('evt_no_customer', 'customer.subscription.deleted', { id: 'sub_x', object: 'subscription', status: 'active' })],
      ['evt_bad_session', event('evt_bad_session', 'checkout.session.completed', { id: 'cs_1', object: 'checkout.session', mode: 'subscription', subscription: 42 })],
    ] as const) {
      const response = await deliver(bad);
      expect(response.statusCode, `${id}: ${response.body}`).toBe(400);
      expect(response.json().error.code).toBe('WEBHOOK_EVENT_INVALID');
      expect((await app.db.stripeEvent.findUniqueOrThrow({ where: { id } })).rejectedReason).toBeTruthy();
      // Delivered again, it is refused again, not handled.
      expect((await deliver(bad)).statusCode).toBe(400);
    }
    const noId = await deliver({ object: 'event', type: 'customer.subscription.updated', data: { object: {} } });
    expect(noId.statusCode).toBe(400);
    expect(await planOf(cookie)).toBe('free');
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

describe('a webhook whose handler is killed between taking the event and finishing it', () => {
  let services: TestServices;
  let stripe: StripeTestServer;
  let api: { stop(): Promise<void>; kill(): Promise<void>; url: string } | undefined;

  beforeAll(async () => {
    [services, stripe] = await Promise.all([startServices(), startStripeServer()]);
  });

  afterAll(async () => {
    await api?.stop();
    await stripe?.close();
    await services?.stop();
  });

  /** The API as its own process (`node api/src/server.ts`), so it can really be killed. */
  async function startApiProcess() {
    const port = await freePort();
    const child = spawn(process.execPath, ['api/src/server.ts'], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        NODE_ENV: 'test',
        LOG_LEVEL: 'warn',
        HOST: '127.0.0.1',
        API_PORT: String(port),
        DATABASE_URL: services.databaseUrl,
        S3_ENDPOINT: services.storageEndpoint,
        MEDIA_TOKEN_SECRET: services.config.media.tokenSecret!,
        STRIPE_SECRET_KEY: 'sk_test_rehearse',
        STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
        STRIPE_API_URL: stripe.url,
        STRIPE_PRICE_PRO: 'price_pro',
      },
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const url = `http://127.0.0.1:${port}`;
    for (let i = 0; ; i++) {
      if (child.exitCode !== null) throw new Error('the API process stopped while starting');
      if (await fetch(`${url}/health`).then(() => true, () => false)) break;
      if (i > 300) throw new Error('the API process did not start');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return {
      url,
      kill: async () => {
        child.kill('SIGKILL');
        await exited;
      },
      stop: async () => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
        await exited;
      },
    };
  }

  it('is taken again once its lease has run out, and applied exactly once', async () => {
    api = await startApiProcess();
    const db = createPrismaClient(services.databaseUrl);
    try {
      const user = await db.user.create({ data: { email: 'crash@example.com', roles: { create: [{ role: 'seeker' }] } } });
      stripe.subscriptions.set('sub_crash', stripeSubscription({ id: 'sub_crash', customer: 'cus_crash', userId: user.id, price: 'price_pro', status: 'active' }));
      const payload = JSON.stringify({ id: 'evt_crash', object: 'event', type: 'customer.subscription.updated', created: 1, data: { object: stripeSubscription({ id: 'sub_crash', customer: 'cus_crash', userId: user.id, price: 'price_pro', status: 'active' }) } });
      const deliver = (target: string) =>
        fetch(`${target}/api/billing/webhook`, { method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': signer.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET }) }, body: payload });

      // The handler has taken the event and is waiting for Stripe's answer when the process dies.
      const release = stripe.hold('sub_crash');
      const first = deliver(api.url).catch((error: Error) => error);
      await vi.waitFor(() => expect(stripe.retrievals.get('sub_crash')).toBe(1), { timeout: 10_000 });
      await api.kill();
      expect(await first).toBeInstanceOf(Error);
      release();
      expect(await db.stripeEvent.findUniqueOrThrow({ where: { id: 'evt_crash' } })).toMatchObject({ processedAt: null, attempts: 1 });
      expect(await db.subscription.findUnique({ where: { userId: user.id } })).toBeNull();

      // Stripe delivers again to the restarted API. While the dead worker's lease is fresh, the
      // answer is 409 (so Stripe keeps trying), not a "duplicate" that would lose the event.
      api = await startApiProcess();
      const early = await deliver(api.url);
      expect(early.status).toBe(409);
      expect((await early.json()).error.code).toBe('WEBHOOK_IN_PROGRESS');

      // The lease runs out (time passing, written as the clock would have moved it).
      await db.stripeEvent.update({ where: { id: 'evt_crash' }, data: { acquiredAt: new Date(Date.now() - WEBHOOK_LEASE_MS - 1000) } });
      const late = await deliver(api.url);
      expect(late.status).toBe(200);
      expect(await late.json()).toEqual({ received: true, outcome: 'handled' });
      expect(await db.subscription.findUniqueOrThrow({ where: { userId: user.id } })).toMatchObject({ plan: 'pro', status: 'active' });
      expect(await db.stripeEvent.findUniqueOrThrow({ where: { id: 'evt_crash' } })).toMatchObject({ processedAt: expect.any(Date), attempts: 2 });
      expect(await (await deliver(api.url)).json()).toEqual({ received: true, outcome: 'duplicate' });
    } finally {
      await db.$disconnect();
    }
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
