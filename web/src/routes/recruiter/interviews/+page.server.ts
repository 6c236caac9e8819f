import { recruiterOnly, signedIn } from '#lib/recruiting/load.server.ts';
import type { RecruiterInterview } from '#lib/recruiting/types.ts';
import { userApi } from '#lib/server/api.ts';
import type { PageServerLoad } from './$types';

// The recruiter's one-way interviews, and setting up a new one (Recruiter plan).
export const load = (async (event) => {
  await signedIn(event);
  const found = await recruiterOnly(() => userApi<{ interviews: RecruiterInterview[] }>(event, '/api/interviews'));
  return { planRequired: found === null, interviews: found?.interviews ?? [] };
}) satisfies PageServerLoad;
