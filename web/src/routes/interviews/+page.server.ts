import type { CandidateInterview } from '#lib/recruiting/types.ts';
import { currentUser, failLoad, userApi } from '#lib/server/api.ts';
import type { PageServerLoad } from './$types';

// The one-way interviews this account was invited to (an invitation is theirs once they opened its link).
export const load = (async (event) => {
  try {
    const user = await currentUser(event);
    const member = user !== null && !user.guest && user.email !== null;
    if (!member) return { member, invitations: [] as CandidateInterview[] };
    const { invitations } = await userApi<{ invitations: CandidateInterview[] }>(event, '/api/interview-invites');
    return { member, invitations };
  } catch (cause) {
    failLoad(cause);
  }
}) satisfies PageServerLoad;
