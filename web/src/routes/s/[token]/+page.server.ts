import { ApiError, failLoad, userApi } from '#lib/server/api.ts';
import type { SharedView } from '#lib/shares/types.ts';
import type { PageServerLoad } from './$types';

/** Why a link shows nothing: each has its own page, not the generic error. */
export type Unavailable = { state: 'gone'; code: string; message: string } | { state: 'signin'; message: string } | { state: 'forbidden'; message: string } | { state: 'missing'; message: string };

// A shared answer or video resume, as whoever holds the link sees it (signed out too, unless the
// link is for named recruiters). Every load is an opening the candidate sees in their views.
export const load = (async (event) => {
  // The token is the secret: never cached, never sent on as a referrer.
  event.setHeaders({ 'cache-control': 'private, no-store', 'referrer-policy': 'no-referrer' });
  const token = event.params.token;
  try {
    // The API counts openings per address (and records it on the view): the viewer's, not this server's.
    const view = await userApi<SharedView>(event, `/api/s/${encodeURIComponent(token)}`, { headers: { 'x-forwarded-for': event.getClientAddress() } });
    return { token, view, unavailable: null };
  } catch (cause) {
    const unavailable = unavailableOf(cause);
    if (!unavailable) failLoad(cause);
    return { token, view: null, unavailable };
  }
}) satisfies PageServerLoad;

function unavailableOf(cause: unknown): Unavailable | null {
  if (!(cause instanceof ApiError)) return null;
  if (cause.code === 'SHARE_REVOKED' || cause.code === 'SHARE_EXPIRED') return { state: 'gone', code: cause.code, message: cause.message };
  if (cause.status === 410) return { state: 'gone', code: cause.code, message: cause.message };
  if (cause.status === 401) return { state: 'signin', message: cause.message };
  if (cause.status === 403) return { state: 'forbidden', message: cause.message };
  if (cause.status === 404 || cause.status === 400) return { state: 'missing', message: cause.message };
  return null;
}
