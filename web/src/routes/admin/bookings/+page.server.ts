import type { AdminBooking } from '#lib/admin/types.ts';
import { requireAdmin } from '#lib/server/admin.ts';
import { failLoad, userApi } from '#lib/server/api.ts';
import type { PageServerLoad } from './$types';

// Mentor calls, latest start first (the API's 200 latest), to refund.
export const load = (async (event) => {
  await requireAdmin(event, 'see bookings and refund them');
  try {
    return await userApi<{ bookings: AdminBooking[] }>(event, '/api/admin/bookings');
  } catch (cause) {
    failLoad(cause);
  }
}) satisfies PageServerLoad;
