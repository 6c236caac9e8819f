import type { Booking } from '#lib/api.ts';
import { MOVE_UNTIL_HOURS } from '#lib/mentoring/format.ts';
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
    const startsIn = Date.parse(booking.startsAt) - now;
    // The candidate moves a call still going ahead, until a day before it.
    const movable = booking.as === 'seeker' && (booking.status === 'confirmed' || (booking.status === 'held' && !holdRanOut)) && startsIn > MOVE_UNTIL_HOURS * 3600_000;
    // A call that has started can no longer be cancelled.
    return { user, booking, holdRanOut, movable, started: startsIn <= 0 };
  } catch (cause) {
    failLoad(cause);
  }
}) satisfies PageServerLoad;
