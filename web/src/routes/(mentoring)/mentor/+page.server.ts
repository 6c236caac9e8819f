import type { Availability, Booking, MentorProfile } from '#lib/api.ts';
import { splitBookings } from '#lib/mentoring/format.ts';
import { ApiError, failLoad, userApi } from '#lib/server/api.ts';
import { requireMember } from '#lib/server/mentoring.ts';
import type { PageServerLoad } from './$types';

export const load = (async (event) => {
  const user = await requireMember(event);
  try {
    const mentor = await userApi<{ mentor: MentorProfile }>(event, '/api/mentor/profile').then(
      ({ mentor }) => mentor,
      (cause: unknown) => {
        if (cause instanceof ApiError && cause.code === 'NOT_APPLIED') return null;
        throw cause;
      },
    );
    // The dashboard needs both the approval and the role (the role alone, from grant-role, leaves
    // the profile out of the directory).
    if (!mentor || mentor.status !== 'approved' || !user.roles.includes('mentor')) return { user, mentor, dashboard: null };
    const [availability, { bookings }] = await Promise.all([userApi<Availability>(event, '/api/mentor/availability'), userApi<{ bookings: Booking[] }>(event, '/api/bookings')]);
    const { upcoming } = splitBookings(bookings.filter((b) => b.as === 'mentor'), Date.now());
    return { user, mentor, dashboard: { availability, upcoming } };
  } catch (cause) {
    failLoad(cause);
  }
}) satisfies PageServerLoad;
