import { error } from '@sveltejs/kit';
import type { Health } from '#lib/health.ts';
import { apiFetch, currentUser } from '#lib/server/api.ts';
import type { PageServerLoad } from './$types';

// The operator's view of the system: each dependency's check and which offline stand-ins run.
// Admins only (`npm run grant-role -- <email> admin` makes one).
export const load = (async (event) => {
  const user = await currentUser(event);
  if (!user) error(401, { message: 'Log in as an admin to see the system status.', code: 'UNAUTHENTICATED' });
  if (!user.roles.includes('admin')) error(403, { message: 'The system status is for admins.', code: 'FORBIDDEN' });
  try {
    const response = await apiFetch('/health');
    return { health: (await response.json()) as Health, apiError: null };
  } catch (cause) {
    return { health: null, apiError: `The API is not reachable: ${(cause as Error).message}` };
  }
}) satisfies PageServerLoad;
