import { error } from '@sveltejs/kit';
import { failLoad } from '#lib/server/api.ts';
import { loadAnswerView } from '#lib/server/answerView.ts';
import type { PageServerLoad } from './$types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// Two attempts at one question, side by side: ?a=<earlier>&b=<later>.
export const load = (async (event) => {
  const a = event.url.searchParams.get('a') ?? '';
  const b = event.url.searchParams.get('b') ?? '';
  if (!UUID.test(a) || !UUID.test(b) || a === b) error(400, { message: 'Pick two different answers to compare.', code: 'COMPARE_NEEDS_TWO' });
  let views;
  try {
    views = await Promise.all([loadAnswerView(event, a), loadAnswerView(event, b)]);
  } catch (cause) {
    failLoad(cause);
  }
  if (views[0].answer.question.id !== views[1].answer.question.id) error(400, { message: 'These answers are to different questions; compare attempts at the same one.', code: 'COMPARE_DIFFERENT_QUESTIONS' });
  return { first: views[0], second: views[1] };
}) satisfies PageServerLoad;
