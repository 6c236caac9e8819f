import type { Health } from '#lib/health.ts';
import { apiFetch } from '#lib/server/api.ts';
import type { PageServerLoad } from './$types';

export const load = (async () => {
  try {
    const response = await apiFetch('/health');
    return { health: (await response.json()) as Health, apiError: null };
  } catch (error) {
    return { health: null, apiError: `The API is not reachable: ${(error as Error).message}` };
  }
}) satisfies PageServerLoad;
