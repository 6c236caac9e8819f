import { ApiError, failLoad, userApi } from '#lib/server/api.ts';
import type { PageServerLoad } from './$types';

interface OutboxEmail {
  id: string;
  to: string;
  subject: string;
  text: string;
  createdAt: string;
}

// The embedded default's mail: to a signed-in user, what was sent to their address (an admin sees
// all). With SMTP configured there is none; a visitor is asked to sign in.
export const load = (async (event) => {
  try {
    const { scope, emails } = await userApi<{ scope: 'mine' | 'all'; emails: OutboxEmail[] }>(event, '/api/dev/outbox');
    return { state: 'open' as const, scope, emails };
  } catch (cause) {
    if (cause instanceof ApiError && cause.status === 404) return { state: 'smtp' as const, scope: null, emails: [] };
    if (cause instanceof ApiError && cause.status === 401) return { state: 'signed-out' as const, scope: null, emails: [] };
    failLoad(cause);
  }
}) satisfies PageServerLoad;
