import type { AnswerReview } from '#lib/api.ts';
import { failLoad, userApi } from '#lib/server/api.ts';
import { idParam, requireMember } from '#lib/server/mentoring.ts';
import type { PageServerLoad } from './$types';

export const load = (async (event) => {
  const id = idParam(event.params.id, 'review');
  const user = await requireMember(event);
  try {
    const { review } = await userApi<{ review: AnswerReview }>(event, `/api/answer-reviews/${id}`);
    // Past its due time an open review waits for the deadline's job to refund it.
    const overdue = review.status === 'open' && review.dueAt !== null && Date.parse(review.dueAt) <= Date.now();
    return { user, review, overdue };
  } catch (cause) {
    failLoad(cause);
  }
}) satisfies PageServerLoad;
