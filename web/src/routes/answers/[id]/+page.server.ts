import type { PrepPlan } from '#lib/prep/types.ts';
import { failLoad, userApi } from '#lib/server/api.ts';
import { loadAnswerView } from '#lib/server/answerView.ts';
import type { PageServerLoad } from './$types';

export const load = (async (event) => {
  try {
    const view = await loadAnswerView(event, event.params.id);
    // An answer to a prep plan's item links back to its plan (the answer knows the item only).
    const prepItemId = view.answer.prepItemId;
    const planId = prepItemId
      ? ((await userApi<{ plans: PrepPlan[] }>(event, '/api/prep-plans').catch(() => ({ plans: [] as PrepPlan[] }))).plans.find((p) => p.items.some((i) => i.id === prepItemId))?.id ?? null)
      : null;
    return { ...view, planId };
  } catch (cause) {
    failLoad(cause);
  }
}) satisfies PageServerLoad;
