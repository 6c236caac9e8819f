// The admin area's shapes (GET /api/admin/…). Users, reports and audit entries are the protocol's
// schemas read as types; the booking and subscription rows are described inline in
// api/src/admin/routes.ts, so they are written out here to match.
import type { Static } from 'typebox';
import type { AdminReport as AdminReportSchema, AdminUser as AdminUserSchema, AuditEntry as AuditEntrySchema, ReportAction as ReportActionSchema } from '@rehearse/protocol';

export type AdminUser = Static<typeof AdminUserSchema>;
export type AdminReport = Static<typeof AdminReportSchema>;
export type AuditEntry = Static<typeof AuditEntrySchema>;
export type ReportAction = Static<typeof ReportActionSchema>;

/** The roles an admin may grant and revoke here (the API's GRANTABLE_ROLES). */
export const GRANTABLE_ROLES = ['mentor', 'recruiter'] as const;
export type GrantableRole = (typeof GRANTABLE_ROLES)[number];

/** The decisions on a report, in the order the buttons show them. */
export const REPORT_ACTIONS: readonly ReportAction[] = ['hide', 'warn', 'suspend', 'dismiss'];

export const REPORT_STATUSES = ['open', 'actioned', 'dismissed'] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

/** A row of GET /api/admin/bookings: the people are their email addresses. */
export interface AdminBooking {
  id: string;
  status: string;
  startsAt: string;
  minutes: number;
  priceCents: number;
  refundedCents: number;
  currency: string;
  paid: boolean;
  seeker: string;
  mentor: string;
}

/** A row of GET /api/admin/subscriptions. */
export interface AdminSubscription {
  userId: string;
  email: string;
  plan: string;
  status: string;
  testMode: boolean;
  currentPeriodEnd: string | null;
  cancelAtPeriodEnd: boolean;
}

/** POST /api/admin/retention/run. */
export interface RetentionResult {
  warned: number;
  deleted: number;
}

/** The audit log's filters, as the page's query string and the API's carry them. */
export interface AuditFilters {
  action: string;
  actorId: string;
  targetId: string;
}
