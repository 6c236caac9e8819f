import { auditFiltersOf, query } from '#lib/admin/format.ts';
import type { AuditEntry } from '#lib/admin/types.ts';
import { requireAdmin } from '#lib/server/admin.ts';
import { ApiError, failLoad, userApi } from '#lib/server/api.ts';
import type { PageServerLoad } from './$types';

/** Entries a page (the API's default). */
const PAGE = 100;

// The audit log, newest first, filtered by action (exact, or a prefix ending in "."), actor or
// target; `before` pages back from an entry's id.
export const load = (async (event) => {
  await requireAdmin(event, 'read the audit log');
  const filters = auditFiltersOf(event.url);
  const before = event.url.searchParams.get('before') ?? '';
  try {
    const { entries } = await userApi<{ entries: AuditEntry[] }>(event, `/api/admin/audit${query({ ...filters, before, limit: String(PAGE) })}`);
    return { filters, before, entries, next: entries.length === PAGE ? entries.at(-1)!.id : null, error: null };
  } catch (cause) {
    // A filter the API refuses (400: not an action name, an actor id that is no id) keeps the form.
    if (cause instanceof ApiError && cause.status === 400) return { filters, before, entries: [] as AuditEntry[], next: null, error: cause.message };
    failLoad(cause);
  }
}) satisfies PageServerLoad;
