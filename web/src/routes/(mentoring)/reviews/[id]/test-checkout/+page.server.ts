import type { AnswerReview } from '#lib/api.ts';
import { failLoad, userApi } from '#lib/server/api.ts';
import { idParam, requireMember } from '#lib/server/mentoring.ts';
import type { PageServerLoad } from './$types';

export const load = (async (event) => {
  const id = idParam(event.params.id, 'review');
  await requireMember(event);
  try {
    return await userApi<{ review: AnswerReview }>(event, `/api/answer-reviews/${id}`);
  } catch (cause) {
    failLoad(cause);
  }
}) satisfies PageServerLoad;
