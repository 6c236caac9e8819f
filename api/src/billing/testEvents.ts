// The local billing test mode's stand-in for Stripe's side: an event signed with the test mode's
// own webhook secret, delivered through the real webhook route (signature check, exactly-once
// bookkeeping, handlers), as Stripe would deliver it. Used for plans, booked calls and mentor
// onboarding when there are no Stripe keys; no card is charged and no money moves.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { HttpError } from '../plugins/errors.ts';
import type { Billing } from './stripe.ts';

export async function deliverTestEvent(app: FastifyInstance, billing: Billing, type: string, object: object): Promise<void> {
  if (billing.mode !== 'test') throw new HttpError(404, 'NOT_FOUND', 'Billing runs on Stripe here');
  const payload = JSON.stringify({ id: `evt_test_${randomUUID()}`, object: 'event', type, created: Math.floor(Date.now() / 1000), livemode: false, data: { object } });
  const header = billing.stripe.webhooks.generateTestHeaderString({ payload, secret: billing.webhookSecret });
  const response = await app.inject({ method: 'POST', url: '/api/billing/webhook', headers: { 'content-type': 'application/json', 'stripe-signature': header }, payload });
  if (response.statusCode !== 200) throw new HttpError(502, 'TEST_MODE_FAILED', `The local webhook answered ${response.statusCode}`);
}
