import type { PrepPlan } from '#lib/prep/types.ts';
import { currentUser, failLoad, userApi } from '#lib/server/api.ts';
import type { PageServerLoad } from './$types';

// Prep plans are for people who signed up: a visitor or a guest is asked to sign up here.
export const load = (async (event) => {
  try {
    const user = await currentUser(event);
    const member = user !== null && !user.guest && user.email !== null;
    const plans = member ? (await userApi<{ plans: PrepPlan[] }>(event, '/api/prep-plans')).plans : [];
    return { member, plans };
  } catch (cause) {
    failLoad(cause);
  }
}) satisfies PageServerLoad;
