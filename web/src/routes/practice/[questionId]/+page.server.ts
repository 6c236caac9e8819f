import { error } from '@sveltejs/kit';
import type { MockInterview, Question } from '#lib/api.ts';
import { ApiError, currentUser, failLoad, userApi } from '#lib/server/api.ts';
import type { PageServerLoad } from './$types';

const UUID = /^[0-9a-f-]{36}$/i;

export const load = (async (event) => {
  if (!UUID.test(event.params.questionId)) error(404, { message: 'No such question. Pick one from the list.', code: 'QUESTION_NOT_FOUND' });
  // Answering the interviewer's follow-up to an answer (?after=) and/or as part of a mock interview (?mock=).
  const after = event.url.searchParams.get('after');
  const mockId = event.url.searchParams.get('mock');
  const parentAnswerId = after && UUID.test(after) ? after : undefined;
  const mockInterviewId = mockId && UUID.test(mockId) ? mockId : undefined;
  try {
    // Looking creates nothing: a guest account is made when the visitor starts an answer.
    const user = await currentUser(event);
    const { question } = await userApi<{ question: Question }>(event, `/api/questions/${event.params.questionId}`);
    let mock: { id: string; position: number; count: number; thinkSeconds: number } | null = null;
    if (mockInterviewId) {
      const { mockInterview } = await userApi<{ mockInterview: MockInterview }>(event, `/api/mock-interviews/${mockInterviewId}`);
      const position = mockInterview.items.find((item) => item.question.id === question.id)?.position ?? mockInterview.current ?? 0;
      mock = { id: mockInterview.id, position, count: mockInterview.items.length, thinkSeconds: parentAnswerId ? 0 : mockInterview.thinkSeconds };
    }
    return { user, question, link: { parentAnswerId, mockInterviewId }, mock };
  } catch (cause) {
    if (cause instanceof ApiError && cause.status === 404) error(404, { message: cause.code === 'MOCK_NOT_FOUND' ? 'No such mock interview.' : 'No such question. Pick one from the list.', code: cause.code });
    failLoad(cause);
  }
}) satisfies PageServerLoad;
