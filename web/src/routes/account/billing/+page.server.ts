import { redirect } from '@sveltejs/kit';
import type { PlanInfo } from '#lib/api.ts';
import { currentUser, failLoad, userApi } from '#lib/server/api.ts';
import type { PageServerLoad } from './$types';

export const load = (async (event) => {
  try {
    const user = await currentUser(event);
    if (!user) redirect(303, '/login');
    const [{ plans }, usage] = await Promise.all([
      userApi<{ plans: PlanInfo[] }>(event, '/api/billing/plans'),
      userApi<{ plan: PlanInfo; usage: { practiceMinutes: number; recordingsKept: number }; billingMode: 'stripe' | 'test' }>(event, '/api/billing/usage'),
    ]);
    return { user, plans, ...usage };
  } catch (cause) {
    if (cause && typeof cause === 'object' && 'status' in cause && 'location' in cause) throw cause;
    failLoad(cause);
  }
}) satisfies PageServerLoad;
