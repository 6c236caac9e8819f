import { error } from '@sveltejs/kit';
import type { MockInterview, MockReport } from '#lib/api.ts';
import { ApiError, failLoad, userApi } from '#lib/server/api.ts';
import type { PageServerLoad } from './$types';

export const load = (async (event) => {
  if (!/^[0-9a-f-]{36}$/i.test(event.params.id)) error(404, { message: 'No such mock interview.', code: 'MOCK_NOT_FOUND' });
  try {
    const { mockInterview } = await userApi<{ mockInterview: MockInterview }>(event, `/api/mock-interviews/${event.params.id}`);
    // Finished: the combined report. In progress: where the candidate is comes from their answers.
    const report = mockInterview.status === 'finished' ? await userApi<MockReport>(event, `/api/mock-interviews/${event.params.id}/report`) : null;
    return { mockInterview, report };
  } catch (cause) {
    if (cause instanceof ApiError && (cause.status === 404 || cause.status === 401)) error(404, { message: 'No such mock interview.', code: 'MOCK_NOT_FOUND' });
    failLoad(cause);
  }
}) satisfies PageServerLoad;
