import type { Booking } from '#lib/api.ts';
import { failLoad, userApi } from '#lib/server/api.ts';
import { idParam, requireMember } from '#lib/server/mentoring.ts';
import type { PageServerLoad } from './$types';

export const load = (async (event) => {
  const id = idParam(event.params.id, 'booking');
  const user = await requireMember(event);
  try {
    const { booking } = await userApi<{ booking: Booking }>(event, `/api/bookings/${id}`);
    const now = Date.now();
    // A hold past its expiry is still "held" until the API's job marks it expired.
    const holdRanOut = booking.status === 'held' && booking.holdExpiresAt !== null && Date.parse(booking.holdExpiresAt) <= now;
    // A call that has started can no longer be cancelled.
    return { user, booking, holdRanOut, started: Date.parse(booking.startsAt) <= now };
  } catch (cause) {
    failLoad(cause);
  }
}) satisfies PageServerLoad;
