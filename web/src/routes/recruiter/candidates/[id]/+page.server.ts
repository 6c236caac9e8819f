import { error } from '@sveltejs/kit';
import { recruiterOnly, signedIn } from '#lib/recruiting/load.server.ts';
import type { DiscoveredCandidateDetail } from '#lib/recruiting/types.ts';
import { userApi } from '#lib/server/api.ts';
import type { PageServerLoad } from './$types';

const UUID = /^[0-9a-f-]{36}$/i;

// A candidate found through discovery: their profile and video resume, and asking to get in touch.
export const load = (async (event) => {
  await signedIn(event);
  if (!UUID.test(event.params.id)) error(404, { message: 'No such candidate.', code: 'CANDIDATE_NOT_FOUND' });
  const detail = await recruiterOnly(() => userApi<DiscoveredCandidateDetail>(event, `/api/discovery/${event.params.id}`));
  return { planRequired: detail === null, detail };
}) satisfies PageServerLoad;
