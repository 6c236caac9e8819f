import type { AiFeedbackList, Answer, AnswerReport, Playback } from '../api.ts';
import { ApiError, userApi } from './api.ts';

type Caller = Parameters<typeof userApi>[0];

/** One answer as its pages show it: the answer, its report (null until saved), where it plays, and its AI feedback. */
export async function loadAnswerView(caller: Caller, id: string): Promise<{ answer: Answer; report: AnswerReport | null; playback: Playback | null; aiFeedback: AiFeedbackList }> {
  const { answer } = await userApi<{ answer: Answer }>(caller, `/api/answers/${id}`);
  // The report is saved within seconds of stop; until then the page says so and looks again.
  const report = await userApi<{ report: AnswerReport }>(caller, `/api/answers/${id}/report`)
    .then((body) => body.report)
    .catch((error: unknown) => {
      if (error instanceof ApiError && error.code === 'REPORT_NOT_READY') return null;
      throw error;
    });
  const [playback, aiFeedback] = await Promise.all([
    answer.recording ? userApi<Playback>(caller, `/api/answers/${id}/playback`) : null,
    userApi<AiFeedbackList>(caller, `/api/answers/${id}/feedback`),
  ]);
  return { answer, report, playback, aiFeedback };
}
