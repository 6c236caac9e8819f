import { failLoad } from '#lib/server/api.ts';
import { loadAnswerView } from '#lib/server/answerView.ts';
import type { PageServerLoad } from './$types';

export const load = (async (event) => {
  try {
    return await loadAnswerView(event, event.params.id);
  } catch (cause) {
    failLoad(cause);
  }
}) satisfies PageServerLoad;
