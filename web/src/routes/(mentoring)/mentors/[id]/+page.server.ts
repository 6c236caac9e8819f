import type { MentorProfile, MentorReview, SlotList } from '#lib/api.ts';
import { SLOT_DAYS, offeredLengths } from '#lib/mentoring/format.ts';
import { currentUser, failLoad } from '#lib/server/api.ts';
import { idParam, publicApi } from '#lib/server/mentoring.ts';
import type { PageServerLoad } from './$types';

export const load = (async (event) => {
  const id = idParam(event.params.id, 'mentor');
  try {
    const [user, { mentor, reviews }] = await Promise.all([currentUser(event), publicApi<{ mentor: MentorProfile; reviews: MentorReview[] }>(event, `/api/mentors/${id}`)]);
    // The shortest length offered is shown first; the panel fetches others when picked.
    const [minutes] = offeredLengths(mentor.prices);
    const slots = minutes ? await publicApi<SlotList>(event, `/api/mentors/${id}/slots?minutes=${minutes}&days=${SLOT_DAYS}`) : null;
    return { user, mentor, reviews, slots };
  } catch (cause) {
    failLoad(cause);
  }
}) satisfies PageServerLoad;
