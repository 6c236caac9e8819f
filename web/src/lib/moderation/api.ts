// Reports to the moderators (POST /api/reports): what can be reported, by its type and id.
import type { Static } from 'typebox';
import type { ReportTargetType } from '@rehearse/protocol';
import { call } from '../api.ts';

export type ReportTarget = Static<typeof ReportTargetType>;

export function fileReport(targetType: ReportTarget, targetId: string, reason: string, details: string): Promise<unknown> {
  return call<unknown>('POST', '/api/reports', { targetType, targetId, reason, ...(details.trim() ? { details: details.trim() } : {}) });
}
