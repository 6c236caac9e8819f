import type { RecruiterFeedback, ShareLink } from '#lib/shares/types.ts';
import { currentUser, failLoad, userApi } from '#lib/server/api.ts';
import type { PageServerLoad } from './$types';

// The candidate's share links and every recruiter's feedback they received.
export const load = (async (event) => {
  try {
    const user = await currentUser(event);
    const member = user !== null && !user.guest && user.email !== null;
    if (!member) return { member, links: [] as ShareLink[], feedback: [] as RecruiterFeedback[] };
    const [{ links }, { feedback }] = await Promise.all([
      userApi<{ links: ShareLink[] }>(event, '/api/shares'),
      userApi<{ feedback: RecruiterFeedback[] }>(event, '/api/recruiter-feedback'),
    ]);
    return { member, links, feedback };
  } catch (cause) {
    failLoad(cause);
  }
}) satisfies PageServerLoad;
