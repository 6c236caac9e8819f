import { redirect } from '@sveltejs/kit';
import type { Profile, SessionInfo } from '#lib/api.ts';
import { currentUser, failLoad, userApi } from '#lib/server/api.ts';
import type { PageServerLoad } from './$types';

export const load = (async (event) => {
  let user;
  try {
    user = await currentUser(event);
  } catch (cause) {
    failLoad(cause);
  }
  // An account page needs an account: guests sign up (keeping their answers), others log in.
  if (!user) redirect(303, '/login');
  if (user.email === null) redirect(303, '/signup');
  try {
    const [{ sessions }, profile] = await Promise.all([userApi<{ sessions: SessionInfo[] }>(event, '/api/auth/sessions'), userApi<Profile>(event, '/api/me/profile')]);
    return { user, sessions, profile };
  } catch (cause) {
    failLoad(cause);
  }
}) satisfies PageServerLoad;
