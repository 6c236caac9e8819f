import { apiFetch, failLoad, ApiError } from '#lib/server/api.ts';
import type { PageServerLoad } from './$types';

interface OutboxEmail {
  id: string;
  to: string;
  subject: string;
  text: string;
  createdAt: string;
}

// The embedded default's mail, for whoever runs it locally; with SMTP configured there is none.
export const load = (async () => {
  try {
    const response = await apiFetch('/api/dev/outbox');
    if (response.status === 404) return { emails: null };
    if (!response.ok) throw await ApiError.from(response);
    return { emails: ((await response.json()) as { emails: OutboxEmail[] }).emails };
  } catch (cause) {
    failLoad(cause);
  }
}) satisfies PageServerLoad;
