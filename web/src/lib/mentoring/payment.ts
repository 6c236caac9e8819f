import { goto } from '$app/navigation';
import type { PaymentLink } from '../api.ts';

/** Opens Stripe's page (elsewhere), or the local test mode's stand-in, which is on this site. */
export async function followPaymentLink({ url, testMode }: PaymentLink): Promise<void> {
  if (!testMode) {
    window.location.href = url;
    return;
  }
  const target = new URL(url);
  await goto(target.pathname + target.search);
}
