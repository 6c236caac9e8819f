import { error, redirect } from '@sveltejs/kit';
import type { CallSummary } from '#lib/calls/api.ts';
import { ApiError, currentUser, failLoad, userApi } from '#lib/server/api.ts';
import type { PageServerLoad } from './$types';

export const load = (async (event) => {
  try {
    const user = await currentUser(event);
    if (!user) redirect(303, `/login?next=${encodeURIComponent(event.url.pathname)}`);
    return { user, summary: await userApi<CallSummary>(event, `/api/calls/${encodeURIComponent(event.params.id)}/summary`) };
  } catch (cause) {
    if (cause && typeof cause === 'object' && 'status' in cause && 'location' in cause) throw cause;
    if (cause instanceof ApiError && (cause.status === 404 || cause.status === 400)) error(404, { message: 'No such call.', code: cause.code });
    failLoad(cause);
  }
}) satisfies PageServerLoad;
