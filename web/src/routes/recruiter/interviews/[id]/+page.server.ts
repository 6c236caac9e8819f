import { error } from '@sveltejs/kit';
import { recruiterOnly, signedIn } from '#lib/recruiting/load.server.ts';
import type { RecruiterInterview } from '#lib/recruiting/types.ts';
import { userApi } from '#lib/server/api.ts';
import type { PageServerLoad } from './$types';

const UUID = /^[0-9a-f-]{36}$/i;

// One one-way interview: its questions, and the submitted candidates' answers side by side.
export const load = (async (event) => {
  await signedIn(event);
  if (!UUID.test(event.params.id)) error(404, { message: 'No such interview.', code: 'INTERVIEW_NOT_FOUND' });
  const found = await recruiterOnly(() => userApi<{ interview: RecruiterInterview }>(event, `/api/interviews/${event.params.id}`));
  return { planRequired: found === null, interview: found?.interview ?? null };
}) satisfies PageServerLoad;
