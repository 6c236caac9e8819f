import { redirect } from '@sveltejs/kit';
import type { Static } from 'typebox';
import type { Usage } from '@rehearse/protocol';
import type { PlanInfo } from '#lib/api.ts';
import { currentUser, failLoad, userApi } from '#lib/server/api.ts';
import type { PageServerLoad } from './$types';

export const load = (async (event) => {
  try {
    const user = await currentUser(event);
    if (!user) redirect(303, '/login');
    const [{ plans }, usage] = await Promise.all([
      userApi<{ plans: PlanInfo[] }>(event, '/api/billing/plans'),
      userApi<Static<typeof Usage>>(event, '/api/billing/usage'),
    ]);
    return { user, plans, ...usage };
  } catch (cause) {
    if (cause && typeof cause === 'object' && 'status' in cause && 'location' in cause) throw cause;
    failLoad(cause);
  }
}) satisfies PageServerLoad;
