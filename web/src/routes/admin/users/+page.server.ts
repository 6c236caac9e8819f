import type { AdminUser } from '#lib/admin/types.ts';
import { query } from '#lib/admin/format.ts';
import { requireAdmin } from '#lib/server/admin.ts';
import { ApiError, failLoad, userApi } from '#lib/server/api.ts';
import type { PageServerLoad } from './$types';

/** The API's page size for users. */
const PAGE = 100;

// Accounts with an email address, newest first: found by email or name, filtered by role.
export const load = (async (event) => {
  await requireAdmin(event, 'manage users');
  const q = event.url.searchParams.get('q')?.trim() ?? '';
  const role = event.url.searchParams.get('role') ?? '';
  const before = event.url.searchParams.get('before') ?? '';
  try {
    const { users } = await userApi<{ users: AdminUser[] }>(event, `/api/admin/users${query({ q, role, before })}`);
    return { users, q, role, before, next: users.length === PAGE ? users.at(-1)!.id : null, error: null };
  } catch (cause) {
    // A filter the API refuses (400) keeps the page, with the form to fix it.
    if (cause instanceof ApiError && cause.status === 400) return { users: [] as AdminUser[], q, role, before, next: null, error: cause.message };
    failLoad(cause);
  }
}) satisfies PageServerLoad;
