import { error } from '@sveltejs/kit';
import type { Question } from '#lib/api.ts';
import { ApiError, currentUser, failLoad, userApi } from '#lib/server/api.ts';
import type { PageServerLoad } from './$types';

export const load = (async (event) => {
  if (!/^[0-9a-f-]{36}$/i.test(event.params.questionId)) error(404, { message: 'No such question. Pick one from the list.', code: 'QUESTION_NOT_FOUND' });
  try {
    // Looking creates nothing: a guest account is made when the visitor starts an answer.
    const user = await currentUser(event);
    const { question } = await userApi<{ question: Question }>(event, `/api/questions/${event.params.questionId}`);
    return { user, question };
  } catch (cause) {
    if (cause instanceof ApiError && cause.status === 404) error(404, { message: 'No such question. Pick one from the list.', code: 'QUESTION_NOT_FOUND' });
    failLoad(cause);
  }
}) satisfies PageServerLoad;
