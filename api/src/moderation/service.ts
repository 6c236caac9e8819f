// Reports and what admins do about them. Anyone signed in may report a profile, a review, a
// recruiter's feedback or a shared item; an admin hides it, warns its owner, suspends its owner's
// account, or dismisses the report. Every decision and every role change lands in the audit log.
import type { FastifyRequest } from 'fastify';
import type { PrismaClient } from '@rehearse/db';
import { audit } from '../audit/log.ts';
import type { Mailer } from '../mail/mailer.ts';
import { HttpError } from '../plugins/errors.ts';

export const REPORT_TARGETS = ['mentor_profile', 'candidate_profile', 'mentor_review', 'recruiter_feedback', 'share_link', 'user'] as const;
export type ReportTarget = (typeof REPORT_TARGETS)[number];
export const REPORT_ACTIONS = ['hide', 'warn', 'suspend', 'dismiss'] as const;
export type ReportAction = (typeof REPORT_ACTIONS)[number];
/** Roles an admin may grant and revoke here; the admin role itself only from the operator's `grant-role`. */
export const GRANTABLE_ROLES = ['mentor', 'recruiter'] as const;

export class ModerationService {
  readonly #db: PrismaClient;
  readonly #mailer: Mailer;
  readonly #now: () => Date;

  constructor({ db, mailer, now = () => new Date() }: { db: PrismaClient; mailer: Mailer; now?: () => Date }) {
    this.#db = db;
    this.#mailer = mailer;
    this.#now = now;
  }

  /**
   * Whose the target is, or null when it does not exist or the reporter cannot see it. Reporting
   * is not a way to learn ids: an unknown target and one the reporter has no business with answer alike.
   */
  async #subjectOf(reporterId: string, type: ReportTarget, id: string): Promise<string | null> {
    switch (type) {
      case 'mentor_profile':
        return (await this.#db.mentorProfile.findFirst({ where: { userId: id, status: 'approved' }, select: { userId: true } }))?.userId ?? null;
      case 'candidate_profile':
        return (await this.#db.candidateProfile.findFirst({ where: { userId: id, discoverable: true }, select: { userId: true } }))?.userId ?? null;
      case 'mentor_review':
        return (await this.#db.mentorReview.findFirst({ where: { bookingId: id }, select: { seekerId: true } }))?.seekerId ?? null;
      case 'recruiter_feedback':
        // The candidate it was written to is who sees it.
        return (await this.#db.recruiterFeedback.findFirst({ where: { id, candidateId: reporterId }, select: { recruiterId: true } }))?.recruiterId ?? null;
      case 'share_link':
        return (await this.#db.shareLink.findFirst({ where: { id }, select: { ownerId: true } }))?.ownerId ?? null;
      case 'user':
        return (await this.#db.user.findFirst({ where: { id }, select: { id: true } }))?.id ?? null;
    }
  }

  async report(request: FastifyRequest, input: { targetType: ReportTarget; targetId: string; reason: string; details?: string }) {
    const reporterId = request.session!.user.id;
    const subjectId = await this.#subjectOf(reporterId, input.targetType, input.targetId);
    if (!subjectId) throw new HttpError(404, 'TARGET_NOT_FOUND', 'There is nothing like that to report');
    if (subjectId === reporterId) throw new HttpError(409, 'OWN_ITEM', 'You cannot report your own');
    const row = await this.#db.moderationReport.create({ data: { reporterId, targetType: input.targetType, targetId: input.targetId, subjectId, reason: input.reason, details: input.details ?? '' } });
    return presentReport(row);
  }

  async reports({ status, id }: { status?: string; id?: string } = {}) {
    const rows = await this.#db.moderationReport.findMany({ where: { ...(status ? { status } : {}), ...(id ? { id } : {}) }, orderBy: { createdAt: 'desc' }, take: 200 });
    const people = new Map((await this.#db.user.findMany({ where: { id: { in: rows.flatMap((r) => [r.reporterId, r.subjectId].filter((x): x is string => !!x)) } }, select: { id: true, email: true, name: true } })).map((u) => [u.id, u]));
    return rows.map((r) => ({ ...presentReport(r), reporter: person(people.get(r.reporterId ?? '')), subject: person(people.get(r.subjectId ?? '')) }));
  }

  /** An admin's decision on a report: one action, once. */
  async act(request: FastifyRequest, reportId: string, action: ReportAction, note = '') {
    const report = await this.#db.moderationReport.findUnique({ where: { id: reportId } });
    if (!report) throw new HttpError(404, 'REPORT_NOT_FOUND', 'No such report');
    if (report.status !== 'open') throw new HttpError(409, 'REPORT_CLOSED', 'This report was handled already');
    if (action === 'hide') await this.#hide(report.targetType as ReportTarget, report.targetId);
    if (action === 'warn' && report.subjectId) await this.#warn(report.subjectId, report.reason, note);
    if (action === 'suspend' && report.subjectId) await this.suspend(request, report.subjectId, note || report.reason, false);
    const now = this.#now();
    const row = await this.#db.moderationReport.update({ where: { id: reportId }, data: { status: action === 'dismiss' ? 'dismissed' : 'actioned', action, handledById: request.session!.user.id, handledAt: now } });
    await audit(this.#db, request, { action: `moderation.${action}`, targetType: report.targetType, targetId: report.targetId, details: { reportId, subjectId: report.subjectId, note } });
    return presentReport(row);
  }

  async #hide(type: ReportTarget, id: string): Promise<void> {
    const now = this.#now();
    switch (type) {
      case 'mentor_profile':
        await this.#db.$transaction([this.#db.mentorProfile.update({ where: { userId: id }, data: { status: 'suspended' } }), this.#db.userRole.deleteMany({ where: { userId: id, role: 'mentor' } })]);
        return;
      case 'candidate_profile':
        await this.#db.candidateProfile.update({ where: { userId: id }, data: { hiddenAt: now } });
        return;
      case 'mentor_review':
        await this.#db.mentorReview.update({ where: { bookingId: id }, data: { hiddenAt: now } });
        return;
      case 'recruiter_feedback':
        await this.#db.recruiterFeedback.update({ where: { id }, data: { hiddenAt: now } });
        return;
      case 'share_link':
        await this.#db.shareLink.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: now } });
        return;
      case 'user':
        throw new HttpError(409, 'CANNOT_HIDE', 'A user cannot be hidden; warn or suspend them');
    }
  }

  async #warn(userId: string, reason: string, note: string): Promise<void> {
    const user = await this.#db.user.findUnique({ where: { id: userId }, select: { email: true } });
    if (!user?.email) return;
    await this.#mailer.send({
      to: user.email,
      subject: 'A warning about something you posted on Rehearse',
      text: `Someone reported something of yours (${reason}) and our moderators agreed it breaks the rules.${note ? `\n\n${note}` : ''}\n\nPlease keep to them; another report may suspend your account.`,
    });
  }

  /** Suspends an account: its sessions end at once and it cannot sign in; its shares stop working. */
  async suspend(request: FastifyRequest, userId: string, reason: string, audited = true) {
    if (userId === request.session!.user.id) throw new HttpError(409, 'OWN_ACCOUNT', 'You cannot suspend yourself');
    const user = await this.#db.user.findUnique({ where: { id: userId }, include: { roles: true } });
    if (!user) throw new HttpError(404, 'USER_NOT_FOUND', 'No such user');
    if (user.roles.some((r) => r.role === 'admin')) throw new HttpError(409, 'ADMIN_ACCOUNT', 'Take the admin role away first (grant-role on the server)');
    await this.#db.$transaction([this.#db.user.update({ where: { id: userId }, data: { suspendedAt: this.#now(), suspendedReason: reason.slice(0, 500) } }), this.#db.session.deleteMany({ where: { userId } })]);
    if (audited) await audit(this.#db, request, { action: 'admin.user.suspend', targetType: 'user', targetId: userId, details: { reason } });
  }

  async unsuspend(request: FastifyRequest, userId: string) {
    const updated = await this.#db.user.updateMany({ where: { id: userId }, data: { suspendedAt: null, suspendedReason: '' } });
    if (updated.count === 0) throw new HttpError(404, 'USER_NOT_FOUND', 'No such user');
    await audit(this.#db, request, { action: 'admin.user.unsuspend', targetType: 'user', targetId: userId });
  }

  async setRole(request: FastifyRequest, userId: string, role: (typeof GRANTABLE_ROLES)[number], grant: boolean) {
    const user = await this.#db.user.findUnique({ where: { id: userId }, select: { id: true } });
    if (!user) throw new HttpError(404, 'USER_NOT_FOUND', 'No such user');
    if (grant) {
      await this.#db.userRole.createMany({ data: [{ userId, role }], skipDuplicates: true });
      // A mentor's application, if any, is approved with the role (the directory shows approved profiles).
      if (role === 'mentor') await this.#db.mentorProfile.updateMany({ where: { userId, status: { not: 'approved' } }, data: { status: 'approved', approvedAt: this.#now() } });
    } else {
      await this.#db.userRole.deleteMany({ where: { userId, role } });
      if (role === 'mentor') await this.#db.mentorProfile.updateMany({ where: { userId }, data: { status: 'suspended' } });
    }
    await audit(this.#db, request, { action: `admin.role.${grant ? 'grant' : 'revoke'}`, targetType: 'user', targetId: userId, details: { role } });
  }
}

function presentReport(r: { id: string; targetType: string; targetId: string; reason: string; details: string; status: string; action: string | null; createdAt: Date; handledAt: Date | null }) {
  return { id: r.id, targetType: r.targetType, targetId: r.targetId, reason: r.reason, details: r.details, status: r.status, action: r.action, createdAt: r.createdAt.toISOString(), handledAt: r.handledAt?.toISOString() ?? null };
}

function person(u: { id: string; email: string | null; name: string } | undefined) {
  return u ? { id: u.id, email: u.email ?? '', name: u.name } : null;
}
