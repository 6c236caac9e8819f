// A local server answering the Stripe REST calls the product makes (customers, Checkout
// Sessions in subscription, payment and setup mode, billing portal sessions, subscriptions, and
// Connect: Express accounts, account links, SetupIntents, off-session PaymentIntents, transfers
// and their reversals, refunds, a connected account's balance and payouts), so the official SDK
// can be tested offline.
// No stripe-mock exists in the registries here; this speaks the same wire format: form-encoded
// requests with bracketed keys, JSON objects back, Stripe's error shape.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StripeTestServer {
  url: string;
  /** Every request: method, path and the decoded form body. */
  readonly requests: { method: string; path: string; body: Record<string, string>; account: string | null; idempotencyKey: string | null }[];
  /** Connected accounts' payouts, as GET /v1/payouts answers for each. */
  readonly payouts: Map<string, object[]>;
  /** Payment methods that decline off-session charges. */
  readonly declining: Set<string>;
  /** Subscriptions as Stripe holds them now: what GET /v1/subscriptions/:id answers. */
  readonly subscriptions: Map<string, object>;
  /** SetupIntents as Stripe holds them (a setup-mode Checkout's, with its payment method). */
  readonly setupIntents: Map<string, object>;
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
  const payouts = new Map<string, object[]>();
  const declining = new Set<string>();
  const setupIntents = new Map<string, object>();
  /** Transfers: their destination, amount and reversed amount, for balances. */
  const transfers = new Map<string, { destination: string; amount: number; currency: string; reversed: number }>();
  let next = 0;
  const metadataOf = (body: Record<string, string>, prefix = 'metadata') =>
    Object.fromEntries(Object.entries(body).flatMap(([k, v]) => (k.startsWith(`${prefix}[`) ? [[k.slice(prefix.length + 1, -1), v]] : [])));
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    req.on('end', () => {
      const path = new URL(req.url ?? '/', 'http://localhost').pathname;
      const body = Object.fromEntries(new URLSearchParams(raw));
      const account = typeof req.headers['stripe-account'] === 'string' ? req.headers['stripe-account'] : null;
      const idempotencyKey = typeof req.headers['idempotency-key'] === 'string' ? req.headers['idempotency-key'] : null;
      requests.push({ method: req.method ?? 'GET', path, body, account, idempotencyKey });
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
        return send(200, { id: `cs_test_${id}`, object: 'checkout.session', mode: body.mode, customer: body.customer, status: 'open', url: `https://checkout.stripe.test/c/cs_test_${id}`, metadata: metadataOf(body), expires_at: Number(body.expires_at) || null });
      }
      const expire = /^\/v1\/checkout\/sessions\/(cs_[\w]+)\/expire$/.exec(path);
      if (req.method === 'POST' && expire) return send(200, { id: expire[1], object: 'checkout.session', status: 'expired' });
      // Connect: Express accounts and their onboarding links.
      if (req.method === 'POST' && path === '/v1/accounts') {
        return send(200, { id: `acct_${id}`, object: 'account', type: body.type, email: body.email ?? null, payouts_enabled: false, charges_enabled: false, metadata: metadataOf(body) });
      }
      if (req.method === 'POST' && path === '/v1/account_links') {
        return send(200, { object: 'account_link', url: `https://connect.stripe.test/setup/e/${body.account}/${id}`, created: Math.floor(Date.now() / 1000), expires_at: Math.floor(Date.now() / 1000) + 300 });
      }
      // A SetupIntent made by a setup-mode Checkout: the test registers it with its card.
      const setup = /^\/v1\/setup_intents\/(seti_[\w]+)$/.exec(path);
      if (req.method === 'GET' && setup) {
        const found = setupIntents.get(setup[1]!);
        return found ? send(200, found) : send(404, { error: { type: 'invalid_request_error', code: 'resource_missing', message: `No such setupintent: '${setup[1]}'` } });
      }
      if (req.method === 'POST' && path === '/v1/payment_intents') {
        if (declining.has(body.payment_method ?? '')) {
          return send(402, { error: { type: 'card_error', code: 'card_declined', decline_code: 'insufficient_funds', message: 'Your card has insufficient funds.', payment_intent: { id: `pi_${id}`, status: 'requires_payment_method' } } });
        }
        return send(200, { id: `pi_${id}`, object: 'payment_intent', amount: Number(body.amount), currency: body.currency, customer: body.customer, payment_method: body.payment_method, status: 'succeeded', transfer_group: body.transfer_group ?? null, metadata: metadataOf(body) });
      }
      if (req.method === 'POST' && path === '/v1/transfers') {
        transfers.set(`tr_${id}`, { destination: body.destination!, amount: Number(body.amount), currency: body.currency!, reversed: 0 });
        return send(200, { id: `tr_${id}`, object: 'transfer', amount: Number(body.amount), currency: body.currency, destination: body.destination, transfer_group: body.transfer_group ?? null, amount_reversed: 0, metadata: metadataOf(body) });
      }
      const reversal = /^\/v1\/transfers\/(tr_[\w]+)\/reversals$/.exec(path);
      if (req.method === 'POST' && reversal) {
        const transfer = transfers.get(reversal[1]!);
        if (!transfer) return send(404, { error: { type: 'invalid_request_error', code: 'resource_missing', message: `No such transfer: '${reversal[1]}'` } });
        transfer.reversed += Number(body.amount ?? transfer.amount);
        return send(200, { id: `trr_${id}`, object: 'transfer_reversal', amount: Number(body.amount ?? transfer.amount), currency: transfer.currency, transfer: reversal[1] });
      }
      if (req.method === 'POST' && path === '/v1/refunds') {
        return send(200, { id: `re_${id}`, object: 'refund', amount: Number(body.amount), payment_intent: body.payment_intent, status: 'succeeded', metadata: metadataOf(body) });
      }
      if (req.method === 'GET' && path === '/v1/balance') {
        const sums = new Map<string, number>();
        for (const t of transfers.values()) if (t.destination === account) sums.set(t.currency, (sums.get(t.currency) ?? 0) + t.amount - t.reversed);
        return send(200, { object: 'balance', livemode: false, available: [...sums].map(([currency, amount]) => ({ amount, currency, source_types: { card: amount } })), pending: [] });
      }
      if (req.method === 'GET' && path === '/v1/payouts') {
        return send(200, { object: 'list', url: '/v1/payouts', has_more: false, data: payouts.get(account ?? '') ?? [] });
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
    payouts,
    declining,
    setupIntents,
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
