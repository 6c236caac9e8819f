import type { Booking } from '#lib/api.ts';
import { splitBookings } from '#lib/mentoring/format.ts';
import { failLoad, userApi } from '#lib/server/api.ts';
import { requireMember } from '#lib/server/mentoring.ts';
import type { PageServerLoad } from './$types';

export const load = (async (event) => {
  const user = await requireMember(event);
  try {
    const { bookings } = await userApi<{ bookings: Booking[] }>(event, '/api/bookings');
    return { user, ...splitBookings(bookings, Date.now()) };
  } catch (cause) {
    failLoad(cause);
  }
}) satisfies PageServerLoad;
