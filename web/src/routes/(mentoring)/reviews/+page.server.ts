import type { AnswerReview } from '#lib/api.ts';
import { failLoad, userApi } from '#lib/server/api.ts';
import { requireMember } from '#lib/server/mentoring.ts';
import type { PageServerLoad } from './$types';

export const load = (async (event) => {
  const user = await requireMember(event);
  try {
    const { reviews } = await userApi<{ reviews: AnswerReview[] }>(event, '/api/answer-reviews');
    return { user, asked: reviews.filter((r) => r.as === 'seeker'), toReview: reviews.filter((r) => r.as === 'mentor') };
  } catch (cause) {
    failLoad(cause);
  }
}) satisfies PageServerLoad;
