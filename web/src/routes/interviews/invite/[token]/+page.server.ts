import { redirect } from '@sveltejs/kit';
import type { CandidateInterview } from '#lib/recruiting/types.ts';
import { ApiError, currentUser, failLoad, userApi } from '#lib/server/api.ts';
import type { PageServerLoad } from './$types';

// A mailed invitation to a one-way interview: opening it signed in makes it this account's (once)
// and goes on to the interview; signed out (or as a guest), the login page first, then back here.
export const load = (async (event) => {
  // The token is the secret: never cached, never sent on as a referrer.
  event.setHeaders({ 'cache-control': 'private, no-store', 'referrer-policy': 'no-referrer' });
  const token = event.params.token;
  const here = `/interviews/invite/${encodeURIComponent(token)}`;
  const user = await currentUser(event).catch((cause: unknown) => failLoad(cause));
  if (!user || user.guest || !user.email) redirect(303, `/login?redirect=${encodeURIComponent(here)}`);
  let inviteId: string;
  try {
    const { invitation } = await userApi<{ invitation: CandidateInterview }>(event, '/api/interview-invites/accept', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token }),
    });
    inviteId = invitation.inviteId;
  } catch (cause) {
    // Refused for this account (another address was invited, or this one is not confirmed yet): said so.
    if (cause instanceof ApiError && (cause.status === 404 || cause.status === 400 || cause.status === 403)) return { invalid: { code: cause.code, message: cause.message }, here };
    if (cause instanceof ApiError && cause.status === 401) redirect(303, `/login?redirect=${encodeURIComponent(here)}`);
    failLoad(cause);
  }
  redirect(303, `/interviews/${inviteId}`);
}) satisfies PageServerLoad;
