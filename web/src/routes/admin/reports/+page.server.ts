import { REPORT_STATUSES, type AdminReport, type ReportStatus } from '#lib/admin/types.ts';
import { requireAdmin } from '#lib/server/admin.ts';
import { failLoad, userApi } from '#lib/server/api.ts';
import type { PageServerLoad } from './$types';

// Moderation reports of one status (open by default), newest first.
export const load = (async (event) => {
  await requireAdmin(event, 'handle reports');
  const asked = event.url.searchParams.get('status');
  const status: ReportStatus = REPORT_STATUSES.find((s) => s === asked) ?? 'open';
  try {
    const { reports } = await userApi<{ reports: AdminReport[] }>(event, `/api/admin/reports?status=${status}`);
    return { status, reports };
  } catch (cause) {
    failLoad(cause);
  }
}) satisfies PageServerLoad;
