import { error } from '@sveltejs/kit';
import type { Question } from '#lib/api.ts';
import { ensureUser, failLoad, userApi, type SessionUser } from '#lib/server/api.ts';
import type { PageServerLoad } from './$types';

export const load = (async (event) => {
  let user: SessionUser;
  let questions: Question[];
  try {
    ({ user } = await ensureUser(event));
    ({ questions } = await userApi<{ questions: Question[] }>(event, '/api/questions'));
  } catch (cause) {
    failLoad(cause);
  }
  const question = questions.find((q) => q.id === event.params.questionId);
  if (!question) error(404, { message: 'No such question. Pick one from the list.', code: 'QUESTION_NOT_FOUND' });
  return { user, question };
}) satisfies PageServerLoad;
