import { redirect } from '@sveltejs/kit';
import type { MockInterview } from '#lib/api.ts';
import { currentUser, failLoad, userApi } from '#lib/server/api.ts';
import type { PageServerLoad } from './$types';

export const load = (async (event) => {
  try {
    const user = await currentUser(event);
    // A visitor sets one up here; they become a guest when they start it.
    const mockInterviews = user ? (await userApi<{ mockInterviews: MockInterview[] }>(event, '/api/mock-interviews')).mockInterviews : [];
    return { user, mockInterviews };
  } catch (cause) {
    if (cause && typeof cause === 'object' && 'status' in cause && 'location' in cause) throw cause;
    failLoad(cause);
  }
  redirect(303, '/practice');
}) satisfies PageServerLoad;
