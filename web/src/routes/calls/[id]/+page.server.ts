import { error, redirect } from '@sveltejs/kit';
import type { Static } from 'typebox';
import type { Booking } from '@rehearse/protocol';
import { ApiError, currentUser, failLoad, userApi } from '#lib/server/api.ts';
import type { PageServerLoad } from './$types';

const UUID = /^[0-9a-f-]{36}$/i;

export const load = (async (event) => {
  if (!UUID.test(event.params.id)) error(404, { message: 'No such call.', code: 'BOOKING_NOT_FOUND' });
  try {
    const user = await currentUser(event);
    if (!user) redirect(303, `/login?next=${encodeURIComponent(event.url.pathname)}`);
    const { booking } = await userApi<{ booking: Static<typeof Booking> }>(event, `/api/bookings/${event.params.id}`);
    return { user, booking };
  } catch (cause) {
    if (cause && typeof cause === 'object' && 'status' in cause && 'location' in cause) throw cause;
    if (cause instanceof ApiError && cause.status === 404) error(404, { message: 'No such call.', code: cause.code });
    failLoad(cause);
  }
}) satisfies PageServerLoad;
