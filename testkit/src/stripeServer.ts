// A local server answering the Stripe REST calls the product makes (customers, Checkout
// Sessions, billing portal sessions, subscriptions), so the official SDK can be tested offline.
// No stripe-mock exists in the registries here; this speaks the same wire format: form-encoded
// requests with bracketed keys, JSON objects back, Stripe's error shape.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StripeTestServer {
  url: string;
  /** Every request: method, path and the decoded form body. */
  readonly requests: { method: string; path: string; body: Record<string, string> }[];
  /** Subscriptions as Stripe holds them now: what GET /v1/subscriptions/:id answers. */
  readonly subscriptions: Map<string, object>;
  /** How many times each subscription was fetched. */
  readonly retrievals: Map<string, number>;
  /** Leaves fetches of this subscription unanswered until the returned function is called. */
  hold(subscriptionId: string): () => void;
  close(): Promise<void>;
}

export async function startStripeServer(): Promise<StripeTestServer> {
  const requests: StripeTestServer['requests'] = [];
  const subscriptions = new Map<string, object>();
  const retrievals = new Map<string, number>();
  const held = new Map<string, { released: Promise<void>; release: () => void }>();
  let next = 0;
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    req.on('end', () => {
      const path = new URL(req.url ?? '/', 'http://localhost').pathname;
      const body = Object.fromEntries(new URLSearchParams(raw));
      requests.push({ method: req.method ?? 'GET', path, body });
      const send = (status: number, value: object) => {
        res.writeHead(status, { 'content-type': 'application/json', 'request-id': `req_${++next}` });
        res.end(JSON.stringify(value));
      };
      if (!String(req.headers.authorization).startsWith('Bearer sk_')) return send(401, { error: { type: 'invalid_request_error', message: 'Invalid API Key provided' } });
      const id = ++next;
      if (req.method === 'POST' && path === '/v1/customers') {
        return send(200, { id: `cus_${id}`, object: 'customer', email: body.email ?? null, metadata: { userId: body['metadata[userId]'] } });
      }
      if (req.method === 'POST' && path === '/v1/checkout/sessions') {
        return send(200, { id: `cs_test_${id}`, object: 'checkout.session', mode: body.mode, customer: body.customer, url: `https://checkout.stripe.test/c/cs_test_${id}`, metadata: { userId: body['metadata[userId]'], plan: body['metadata[plan]'] } });
      }
      if (req.method === 'POST' && path === '/v1/billing_portal/sessions') {
        return send(200, { id: `bps_${id}`, object: 'billing_portal.session', customer: body.customer, url: `https://billing.stripe.test/p/session_${id}`, return_url: body.return_url });
      }
      const subscription = /^\/v1\/subscriptions\/([\w-]+)$/.exec(path);
      if (req.method === 'GET' && subscription) {
        const found = subscriptions.get(subscription[1]!);
        retrievals.set(subscription[1]!, (retrievals.get(subscription[1]!) ?? 0) + 1);
        const hold = held.get(subscription[1]!);
        if (hold) return void hold.released.then(() => res.destroy());
        return found ? send(200, found) : send(404, { error: { type: 'invalid_request_error', code: 'resource_missing', message: `No such subscription: '${subscription[1]}'` } });
      }
      send(404, { error: { type: 'invalid_request_error', message: `Unrecognized request URL (${req.method}: ${path})` } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    subscriptions,
    retrievals,
    hold(subscriptionId) {
      let release = () => {};
      const released = new Promise<void>((resolve) => (release = resolve));
      held.set(subscriptionId, { released, release });
      return () => {
        held.delete(subscriptionId);
        release();
      };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A subscription object in Stripe's shape. */
export function stripeSubscription({ id, customer, userId, price, status, periodEnd = Math.floor(Date.now() / 1000) + 30 * 86400 }: { id: string; customer: string; userId: string; price: string; status: string; periodEnd?: number }) {
  return {
    id,
    object: 'subscription',
    customer,
    status,
    cancel_at_period_end: false,
    metadata: { userId },
    items: { object: 'list', has_more: false, url: `/v1/subscription_items?subscription=${id}`, data: [{ id: `si_${id}`, object: 'subscription_item', current_period_end: periodEnd, price: { id: price, object: 'price' } }] },
  };
}
