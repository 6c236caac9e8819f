import type { Booking } from '#lib/api.ts';
import { failLoad, userApi } from '#lib/server/api.ts';
import { idParam, requireMember } from '#lib/server/mentoring.ts';
import type { PageServerLoad } from './$types';

export const load = (async (event) => {
  const id = idParam(event.params.id, 'booking');
  await requireMember(event);
  try {
    return await userApi<{ booking: Booking }>(event, `/api/bookings/${id}`);
  } catch (cause) {
    failLoad(cause);
  }
}) satisfies PageServerLoad;
