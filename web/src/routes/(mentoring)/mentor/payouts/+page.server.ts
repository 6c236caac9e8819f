import type { Earnings } from '#lib/api.ts';
import { failLoad, userApi } from '#lib/server/api.ts';
import { requireMentor } from '#lib/server/mentoring.ts';
import type { PageServerLoad } from './$types';

export const load = (async (event) => {
  const user = await requireMentor(event);
  try {
    return { user, earnings: await userApi<Earnings>(event, '/api/mentor/earnings') };
  } catch (cause) {
    failLoad(cause);
  }
}) satisfies PageServerLoad;
