import type { Answer, AnswerReport, Playback } from '#lib/api.ts';
import { ApiError, failLoad, userApi } from '#lib/server/api.ts';
import type { PageServerLoad } from './$types';

export const load = (async (event) => {
  try {
    const { answer } = await userApi<{ answer: Answer }>(event, `/api/answers/${event.params.id}`);
    // The report is saved within seconds of stop; until then the page says so and looks again.
    const report = await userApi<{ report: AnswerReport }>(event, `/api/answers/${event.params.id}/report`)
      .then((body) => body.report)
      .catch((error: unknown) => {
        if (error instanceof ApiError && error.code === 'REPORT_NOT_READY') return null;
        throw error;
      });
    const playback = answer.recording ? await userApi<Playback>(event, `/api/answers/${event.params.id}/playback`) : null;
    return { answer, report, playback };
  } catch (cause) {
    failLoad(cause);
  }
}) satisfies PageServerLoad;
