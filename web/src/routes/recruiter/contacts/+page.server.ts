import { recruiterOnly, signedIn } from '#lib/recruiting/load.server.ts';
import type { ContactRequest } from '#lib/recruiting/types.ts';
import { userApi } from '#lib/server/api.ts';
import type { PageServerLoad } from './$types';

// The contact requests this recruiter sent, with the candidate's address once they accepted.
export const load = (async (event) => {
  await signedIn(event);
  const found = await recruiterOnly(() => userApi<{ requests: ContactRequest[] }>(event, '/api/discovery/contacts'));
  return { planRequired: found === null, requests: found?.requests ?? [] };
}) satisfies PageServerLoad;
