// A mentor's Stripe Connect account changed (onboarding finished, or Stripe paused it): whether it
// can receive transfers; when it can, calls already owed are paid.
import type Stripe from 'stripe';
import { Type } from 'typebox';
import type { EventHandler } from './subscription.ts';

export const accountUpdated: EventHandler = {
  object: Type.Object({ object: Type.Literal('account'), id: Type.String({ pattern: '^acct_' }), payouts_enabled: Type.Boolean() }),
  async handle(event, deps) {
    const account = event.data.object as Stripe.Account;
    await deps.bookings.payoutsEnabled(account.id, account.payouts_enabled);
  },
};
