import type { ContactRequest, DiscoveryProfile } from '#lib/recruiting/types.ts';
import type { VideoResume } from '#lib/shares/types.ts';
import { currentUser, failLoad, userApi } from '#lib/server/api.ts';
import type { PageServerLoad } from './$types';

// Discovery, the candidate's side: whether recruiters on the Recruiter plan can find them (and
// what they see then), and the contact requests those recruiters sent.
export const load = (async (event) => {
  try {
    const user = await currentUser(event);
    const member = user !== null && !user.guest && user.email !== null;
    if (!member) return { member, profile: null, resumes: [] as VideoResume[], requests: [] as ContactRequest[] };
    const [{ profile }, { resumes }, { requests }] = await Promise.all([
      userApi<{ profile: DiscoveryProfile }>(event, '/api/me/discovery'),
      userApi<{ resumes: VideoResume[] }>(event, '/api/resumes'),
      userApi<{ requests: ContactRequest[] }>(event, '/api/me/contact-requests'),
    ]);
    return { member, profile, resumes, requests };
  } catch (cause) {
    failLoad(cause);
  }
}) satisfies PageServerLoad;
