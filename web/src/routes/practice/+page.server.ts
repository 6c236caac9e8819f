import type { Question } from '#lib/api.ts';
import { currentUser, failLoad, userApi } from '#lib/server/api.ts';
import type { PageServerLoad } from './$types';

export const load = (async (event) => {
  try {
    // Looking creates nothing: a guest account is made when the visitor starts an answer.
    const user = await currentUser(event);
    const { questions } = await userApi<{ questions: Question[] }>(event, '/api/questions');
    return { user, questions };
  } catch (cause) {
    failLoad(cause);
  }
}) satisfies PageServerLoad;
