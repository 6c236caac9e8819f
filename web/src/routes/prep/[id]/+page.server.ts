import type { PrepPlan } from '#lib/prep/types.ts';
import { failLoad, userApi } from '#lib/server/api.ts';
import { idParam, requireMember } from '#lib/server/mentoring.ts';
import type { PageServerLoad } from './$types';

export const load = (async (event) => {
  await requireMember(event);
  const id = idParam(event.params.id, 'plan');
  try {
    return { plan: (await userApi<{ plan: PrepPlan }>(event, `/api/prep-plans/${id}`)).plan };
  } catch (cause) {
    failLoad(cause);
  }
}) satisfies PageServerLoad;
