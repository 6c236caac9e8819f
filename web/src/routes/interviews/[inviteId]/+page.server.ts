import { error, redirect } from '@sveltejs/kit';
import type { CandidateInterview } from '#lib/recruiting/types.ts';
import { ApiError, currentUser, failLoad, userApi } from '#lib/server/api.ts';
import type { PageServerLoad } from './$types';

const UUID = /^[0-9a-f-]{36}$/i;

// One one-way interview, the candidate's side: the questions and their answers so far, exactly
// what submitting shares, and submitting.
export const load = (async (event) => {
  if (!UUID.test(event.params.inviteId)) error(404, { message: 'No such interview invitation.', code: 'INVITE_NOT_FOUND' });
  const user = await currentUser(event).catch((cause: unknown) => failLoad(cause));
  if (!user || user.guest) redirect(303, `/login?redirect=${encodeURIComponent(event.url.pathname)}`);
  try {
    const { invitation } = await userApi<{ invitation: CandidateInterview }>(event, `/api/interview-invites/${event.params.inviteId}`);
    return { invitation };
  } catch (cause) {
    if (cause instanceof ApiError && cause.status === 401) redirect(303, `/login?redirect=${encodeURIComponent(event.url.pathname)}`);
    failLoad(cause);
  }
}) satisfies PageServerLoad;
