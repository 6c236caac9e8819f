// How long a recording is kept: the plan's retention days (api/src/billing/plans.ts) after it was
// last recorded, shared or watched through a share, or after the owner asked to keep it longer.
import type { PrismaClient } from '@rehearse/db';
import { planOf } from '../billing/plans.ts';

export const DAY_MS = 86_400_000;
/** The owner is mailed this long before a recording is deleted, and deletion waits at least this long after the mail. */
export const RETENTION_WARNING_DAYS = 7;

/** The date a recording made, shared or watched `now` is kept until. */
export async function retentionDate(db: PrismaClient, userId: string, now: Date): Promise<Date> {
  const plan = await planOf(db, userId, now);
  return new Date(now.getTime() + plan.limits.retentionDays * DAY_MS);
}

/** Pushes the answers' deletion date out to the plan's days from `now` (never earlier), and forgets any warning. */
export async function extendRetention(db: PrismaClient, userId: string, answerIds: string[], now: Date): Promise<Date> {
  const until = await retentionDate(db, userId, now);
  if (answerIds.length === 0) return until;
  await db.answer.updateMany({ where: { id: { in: answerIds }, userId, recordingDeletedAt: null, OR: [{ retainUntil: null }, { retainUntil: { lt: until } }] }, data: { retainUntil: until, retentionWarnedAt: null } });
  return until;
}
