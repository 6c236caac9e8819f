import { redirect } from '@sveltejs/kit';
import type { AnswerListItem } from '#lib/api.ts';
import { currentUser, failLoad, userApi } from '#lib/server/api.ts';
import type { PageServerLoad } from './$types';

const STATUSES = new Set(['ready', 'interrupted', 'failed', 'processing', 'recording', 'created']);

export const load = (async (event) => {
  try {
    const user = await currentUser(event);
    // Nothing to list without a session: answering a question makes one.
    if (!user) redirect(303, '/practice');
    const params = new URLSearchParams();
    const status = event.url.searchParams.get('status');
    const before = event.url.searchParams.get('before');
    if (status && STATUSES.has(status)) params.set('status', status);
    if (before && !Number.isNaN(Date.parse(before))) params.set('before', before);
    const list = await userApi<{ answers: AnswerListItem[]; next: string | null }>(event, `/api/answers${params.size ? `?${params}` : ''}`);
    return { ...list, status: params.get('status') ?? '' };
  } catch (cause) {
    if (cause && typeof cause === 'object' && 'status' in cause && 'location' in cause) throw cause;
    failLoad(cause);
  }
}) satisfies PageServerLoad;
