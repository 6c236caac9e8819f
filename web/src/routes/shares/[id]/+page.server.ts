import type { ShareLinkDetail } from '#lib/shares/types.ts';
import { failLoad, userApi } from '#lib/server/api.ts';
import type { PageServerLoad } from './$types';

// One share link: its facts, every opening of it, and the feedback left through it.
export const load = (async (event) => {
  try {
    return await userApi<ShareLinkDetail>(event, `/api/shares/${encodeURIComponent(event.params.id)}`);
  } catch (cause) {
    failLoad(cause);
  }
}) satisfies PageServerLoad;
