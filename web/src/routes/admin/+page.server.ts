import { requireAdmin } from '#lib/server/admin.ts';
import type { PageServerLoad } from './$types';

// The admin area's front page: links to each admin page and the retention sweep.
export const load = (async (event) => {
  await requireAdmin(event, 'use the admin area');
  return {};
}) satisfies PageServerLoad;
