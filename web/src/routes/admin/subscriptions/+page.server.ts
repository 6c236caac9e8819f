import type { AdminSubscription } from '#lib/admin/types.ts';
import { requireAdmin } from '#lib/server/admin.ts';
import { failLoad, userApi } from '#lib/server/api.ts';
import type { PageServerLoad } from './$types';

// Subscriptions, the latest changed first (the API's 200 latest).
export const load = (async (event) => {
  await requireAdmin(event, 'see subscriptions');
  try {
    return await userApi<{ subscriptions: AdminSubscription[] }>(event, '/api/admin/subscriptions');
  } catch (cause) {
    failLoad(cause);
  }
}) satisfies PageServerLoad;
