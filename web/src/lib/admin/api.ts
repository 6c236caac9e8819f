// The admin area's calls from the browser (same-origin /api/admin/…, admin role only). Each
// change is written to the audit log by the API.
import { call, type Booking } from '../api.ts';
import type { AdminReport, GrantableRole, ReportAction, RetentionResult } from './types.ts';

const user = (id: string) => `/api/admin/users/${encodeURIComponent(id)}`;

export const adminAreaApi = {
  grantRole: (userId: string, role: GrantableRole) => call<null>('PUT', `${user(userId)}/roles/${role}`),
  revokeRole: (userId: string, role: GrantableRole) => call<null>('DELETE', `${user(userId)}/roles/${role}`),
  suspend: (userId: string, reason: string) => call<null>('POST', `${user(userId)}/suspend`, { reason }),
  unsuspend: (userId: string) => call<null>('POST', `${user(userId)}/unsuspend`),
  /** One decision per report; a report handled already answers 409. */
  decide: (reportId: string, action: ReportAction, note?: string) => call<{ report: AdminReport }>('POST', `/api/admin/reports/${encodeURIComponent(reportId)}/decision`, note ? { action, note } : { action }),
  /** Without `cents`, whatever is left of the price is refunded. */
  refund: (bookingId: string, cents?: number) => call<{ booking: Booking }>('POST', `/api/admin/bookings/${encodeURIComponent(bookingId)}/refund`, cents === undefined ? {} : { cents }),
  runRetention: () => call<RetentionResult>('POST', '/api/admin/retention/run'),
};
