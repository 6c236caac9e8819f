import type { Health } from '#lib/health.ts';
import { requireAdmin } from '#lib/server/admin.ts';
import { apiFetch } from '#lib/server/api.ts';
import type { PageServerLoad } from './$types';

// The operator's view of the system: each dependency's check and which offline stand-ins run.
export const load = (async (event) => {
  await requireAdmin(event, 'see the system status');
  try {
    const response = await apiFetch('/health');
    return { health: (await response.json()) as Health, apiError: null };
  } catch (cause) {
    return { health: null, apiError: `The API is not reachable: ${(cause as Error).message}` };
  }
}) satisfies PageServerLoad;
