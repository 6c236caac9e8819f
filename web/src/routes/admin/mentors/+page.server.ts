import type { MentorProfile } from '#lib/api.ts';
import { requireAdmin } from '#lib/server/admin.ts';
import { failLoad, userApi } from '#lib/server/api.ts';
import type { PageServerLoad } from './$types';

const STATUSES = ['applied', 'approved', 'suspended'] as const;

// Mentor applications to approve, and approved mentors to suspend (or suspended ones to reinstate).
export const load = (async (event) => {
  await requireAdmin(event, 'review mentor applications');
  try {
    const [applied, approved, suspended] = await Promise.all(STATUSES.map((status) => userApi<{ mentors: MentorProfile[] }>(event, `/api/admin/mentors?status=${status}`).then((body) => body.mentors)));
    return { applied: applied!, approved: approved!, suspended: suspended! };
  } catch (cause) {
    failLoad(cause);
  }
}) satisfies PageServerLoad;
