import type { Question } from '#lib/api.ts';
import { currentUser, failLoad, userApi } from '#lib/server/api.ts';
import type { PageServerLoad } from './$types';

/** The filters the page's form sends, passed to the API as they are (it validates them). */
const FILTERS = ['kind', 'role', 'difficulty', 'framework', 'q', 'mine'] as const;

export const load = (async (event) => {
  const params = new URLSearchParams();
  for (const name of FILTERS) {
    const value = event.url.searchParams.get(name)?.trim();
    if (value) params.set(name, value);
  }
  try {
    // Looking creates nothing: a guest account is made when the visitor starts an answer.
    const user = await currentUser(event);
    const { questions } = await userApi<{ questions: Question[] }>(event, `/api/questions${params.size ? `?${params}` : ''}`);
    return { user, questions, filters: Object.fromEntries(params) as Partial<Record<(typeof FILTERS)[number], string>> };
  } catch (cause) {
    failLoad(cause);
  }
}) satisfies PageServerLoad;
