import type { AnswerListItem } from '#lib/api.ts';
import type { VideoResume } from '#lib/shares/types.ts';
import { currentUser, failLoad, userApi } from '#lib/server/api.ts';
import type { PageServerLoad } from './$types';

type AnswerList = { answers: AnswerListItem[]; next: string | null };

// Video resumes: a few finished answers in an order, with a headline and a profile, to share as one.
export const load = (async (event) => {
  try {
    const user = await currentUser(event);
    const member = user !== null && !user.guest && user.email !== null;
    if (!member) return { member, resumes: [] as VideoResume[], answers: [] as AnswerListItem['answer'][] };
    // Finished answers are ready or interrupted (what was recorded before it stopped).
    const [{ resumes }, ready, interrupted] = await Promise.all([
      userApi<{ resumes: VideoResume[] }>(event, '/api/resumes'),
      userApi<AnswerList>(event, '/api/answers?status=ready&limit=100'),
      userApi<AnswerList>(event, '/api/answers?status=interrupted&limit=100'),
    ]);
    const answers = [...ready.answers, ...interrupted.answers].map((item) => item.answer).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    return { member, resumes, answers };
  } catch (cause) {
    failLoad(cause);
  }
}) satisfies PageServerLoad;
