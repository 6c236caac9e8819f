import type { AiFeedbackList, Answer, AnswerReport, Playback } from '../api.ts';
import { ApiError, userApi } from './api.ts';

type Caller = Parameters<typeof userApi>[0];

/** One answer as its pages show it: the answer, its report (null until saved), where it plays, and its AI feedback. */
export async function loadAnswerView(caller: Caller, id: string): Promise<{ answer: Answer; report: AnswerReport | null; playback: Playback | null; aiFeedback: AiFeedbackList }> {
  // Asked together: the report page opens the moment the report is saved, and waits for one round trip.
  const [{ answer }, report, aiFeedback] = await Promise.all([
    userApi<{ answer: Answer }>(caller, `/api/answers/${id}`),
    // The report is saved within seconds of stop; until then the page says so and looks again.
    userApi<{ report: AnswerReport }>(caller, `/api/answers/${id}/report`)
      .then((body) => body.report)
      .catch((error: unknown) => {
        if (error instanceof ApiError && error.code === 'REPORT_NOT_READY') return null;
        throw error;
      }),
    userApi<AiFeedbackList>(caller, `/api/answers/${id}/feedback`),
  ]);
  const playback = answer.recording ? await userApi<Playback>(caller, `/api/answers/${id}/playback`) : null;
  return { answer, report, playback, aiFeedback };
}
