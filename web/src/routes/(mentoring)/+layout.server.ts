import type { Profile } from '#lib/api.ts';
import { userApi } from '#lib/server/api.ts';
import type { LayoutServerLoad } from './$types';

// The mentoring pages show the API's UTC instants in the viewer's zone: until the browser says
// which that is, times rendered here use the signed-in viewer's profile zone. (Each page checks
// access in its own load.)
export const load = (async (event) => {
  const { user } = await event.parent();
  if (!user) return { viewerTimeZone: null };
  const profile = await userApi<Profile>(event, '/api/me/profile').catch(() => null);
  return { viewerTimeZone: profile?.timezone ?? null };
}) satisfies LayoutServerLoad;
