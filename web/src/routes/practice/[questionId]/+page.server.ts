import { error } from '@sveltejs/kit';
import type { Question } from '#lib/api.ts';
import { currentUser, failLoad, userApi, type SessionUser } from '#lib/server/api.ts';
import type { PageServerLoad } from './$types';

export const load = (async (event) => {
  let user: SessionUser | null;
  let questions: Question[];
  try {
    // Looking creates nothing: a guest account is made when the visitor starts an answer.
    user = await currentUser(event);
    ({ questions } = await userApi<{ questions: Question[] }>(event, '/api/questions'));
  } catch (cause) {
    failLoad(cause);
  }
  const question = questions.find((q) => q.id === event.params.questionId);
  if (!question) error(404, { message: 'No such question. Pick one from the list.', code: 'QUESTION_NOT_FOUND' });
  return { user, question };
}) satisfies PageServerLoad;
