import type { Question } from '#lib/api.ts';
import { ensureUser, failLoad, userApi } from '#lib/server/api.ts';
import type { PageServerLoad } from './$types';

export const load = (async (event) => {
  try {
    const { user } = await ensureUser(event);
    const { questions } = await userApi<{ questions: Question[] }>(event, '/api/questions');
    return { user, questions };
  } catch (cause) {
    failLoad(cause);
  }
}) satisfies PageServerLoad;
