// The admin area (admin role only): users and their roles, suspending accounts, mentor
// applications, moderation reports and what is done about them, bookings with refunds,
// subscriptions, the retention sweep, and the audit log (browsed and exported as CSV). Every
// change made here is written to the audit log with who, what, when and from where.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AdminReport, AdminUser, AdminUserQuery, AuditEntry, AuditQuery, BookingBody, ErrorBody, MentorProfile, ReportDecision } from '@rehearse/protocol';
import { AUDIT_CSV_COLUMNS, audit, auditEntries, csvField } from '../audit/log.ts';
import { planOf } from '../billing/plans.ts';
import type { BookingService } from '../bookings/service.ts';
import type { MentorService } from '../mentors/service.ts';
import { GRANTABLE_ROLES, type ModerationService } from '../moderation/service.ts';
import { HttpError } from '../plugins/errors.ts';
import type { RetentionService } from '../retention/service.ts';

const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const RoleParams = Type.Object({ id: Type.String({ format: 'uuid' }), role: Type.Union(GRANTABLE_ROLES.map((r) => Type.Literal(r))) });

const adminRoutes: FastifyPluginAsyncTypebox<{ mentors: MentorService; bookings: BookingService; moderation: ModerationService; retention: RetentionService }> = async (app, { mentors, bookings, moderation, retention }) => {
  app.addHook('preHandler', app.requireRole('admin'));

  // ----- users and roles -----
  app.get('/api/admin/users', { schema: { querystring: AdminUserQuery, response: { 200: Type.Object({ users: Type.Array(AdminUser) }), ...errors } } }, async (request) => {
    const { q, role, before } = request.query;
    const rows = await app.db.user.findMany({
      where: {
        email: { not: null },
        ...(q ? { OR: [{ email: { contains: q.toLowerCase() } }, { name: { contains: q, mode: 'insensitive' as const } }] } : {}),
        ...(role ? { roles: { some: { role: role as never } } } : {}),
        ...(before ? { id: { lt: before } } : {}),
      },
      include: { roles: true, subscription: true },
      orderBy: { id: 'desc' },
      take: 100,
    });
    return {
      users: await Promise.all(
        rows.map(async (u) => ({
          id: u.id,
          email: u.email ?? '',
          name: u.name,
          roles: u.roles.map((r) => r.role),
          plan: (await planOf(app.db, u.id)).id,
          subscriptionStatus: u.subscription?.status ?? null,
          suspendedAt: u.suspendedAt?.toISOString() ?? null,
          createdAt: u.createdAt.toISOString(),
        })),
      ),
    };
  });
  app.put('/api/admin/users/:id/roles/:role', { schema: { params: RoleParams, response: { 204: Type.Null(), ...errors } } }, async (request, reply) => {
    await moderation.setRole(request, request.params.id, request.params.role, true);
    return reply.status(204).send(null);
  });
  app.delete('/api/admin/users/:id/roles/:role', { schema: { params: RoleParams, response: { 204: Type.Null(), ...errors } } }, async (request, reply) => {
    await moderation.setRole(request, request.params.id, request.params.role, false);
    return reply.status(204).send(null);
  });
  app.post('/api/admin/users/:id/suspend', { schema: { params: Id, body: Type.Object({ reason: Type.String({ minLength: 1, maxLength: 500 }) }, { additionalProperties: false }), response: { 204: Type.Null(), ...errors } } }, async (request, reply) => {
    await moderation.suspend(request, request.params.id, request.body.reason);
    return reply.status(204).send(null);
  });
  app.post('/api/admin/users/:id/unsuspend', { schema: { params: Id, response: { 204: Type.Null(), ...errors } } }, async (request, reply) => {
    await moderation.unsuspend(request, request.params.id);
    return reply.status(204).send(null);
  });

  // ----- mentor applications -----
  app.get('/api/admin/mentors', { schema: { querystring: Type.Object({ status: Type.Optional(Type.Union([Type.Literal('applied'), Type.Literal('approved'), Type.Literal('suspended')])) }, { additionalProperties: false }), response: { 200: Type.Object({ mentors: Type.Array(MentorProfile) }), ...errors } } }, async (request) => {
    const rows = await app.db.mentorProfile.findMany({ where: request.query.status ? { status: request.query.status } : {}, orderBy: { appliedAt: 'asc' }, take: 200, select: { userId: true } });
    return { mentors: await Promise.all(rows.map((r) => mentors.present(r.userId))) };
  });
  for (const decision of ['approve', 'suspend'] as const) {
    app.post(`/api/admin/mentors/:id/${decision}`, { schema: { params: Id, response: { 200: Type.Object({ mentor: MentorProfile }), ...errors } } }, async (request) => {
      const profile = await app.db.mentorProfile.findUnique({ where: { userId: request.params.id } });
      if (!profile) throw new HttpError(404, 'NOT_APPLIED', 'This user has not applied to mentor');
      await (decision === 'approve' ? mentors.approve(profile.userId) : mentors.suspend(profile.userId));
      await audit(app.db, request, { action: `admin.mentor.${decision}`, targetType: 'user', targetId: profile.userId });
      return { mentor: await mentors.present(profile.userId) };
    });
  }

  // ----- moderation -----
  app.get('/api/admin/reports', { schema: { querystring: Type.Object({ status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('actioned'), Type.Literal('dismissed')])) }, { additionalProperties: false }), response: { 200: Type.Object({ reports: Type.Array(AdminReport) }), ...errors } } }, async (request) => ({
    reports: await moderation.reports({ status: request.query.status }),
  }));
  app.post('/api/admin/reports/:id/decision', { schema: { params: Id, body: ReportDecision, response: { 200: Type.Object({ report: AdminReport }), ...errors } } }, async (request) => {
    await moderation.act(request, request.params.id, request.body.action, request.body.note);
    return { report: (await moderation.reports({ id: request.params.id }))[0]! };
  });

  // ----- bookings, refunds, subscriptions -----
  app.get('/api/admin/bookings', { schema: { response: { 200: Type.Object({ bookings: Type.Array(Type.Object({ id: Type.String(), status: Type.String(), startsAt: Type.String(), minutes: Type.Integer(), priceCents: Type.Integer(), refundedCents: Type.Integer(), currency: Type.String(), paid: Type.Boolean(), seeker: Type.String(), mentor: Type.String() })) }), ...errors } } }, async () => {
    const rows = await app.db.booking.findMany({ orderBy: { startsAt: 'desc' }, take: 200, include: { seeker: { select: { email: true } }, mentor: { include: { user: { select: { email: true } } } } } });
    return { bookings: rows.map((b) => ({ id: b.id, status: b.status, startsAt: b.startsAt.toISOString(), minutes: b.minutes, priceCents: b.priceCents, refundedCents: b.refundedCents, currency: b.currency, paid: b.paidAt !== null, seeker: b.seeker.email ?? '', mentor: b.mentor.user.email ?? '' })) };
  });
  app.post(
    '/api/admin/bookings/:id/refund',
    { schema: { params: Id, body: Type.Object({ cents: Type.Optional(Type.Integer({ minimum: 1 })) }, { additionalProperties: false }), response: { 200: BookingBody, ...errors } } },
    async (request) => {
      const booking = await bookings.refundByAdmin(request.params.id, request.body.cents);
      await audit(app.db, request, { action: 'admin.booking.refund', targetType: 'booking', targetId: request.params.id, details: { cents: request.body.cents ?? null } });
      return { booking };
    },
  );
  app.get('/api/admin/subscriptions', { schema: { response: { 200: Type.Object({ subscriptions: Type.Array(Type.Object({ userId: Type.String(), email: Type.String(), plan: Type.String(), status: Type.String(), testMode: Type.Boolean(), currentPeriodEnd: Type.Union([Type.String(), Type.Null()]), cancelAtPeriodEnd: Type.Boolean() })) }), ...errors } } }, async () => {
    const rows = await app.db.subscription.findMany({ orderBy: { updatedAt: 'desc' }, take: 200, include: { user: { select: { email: true } } } });
    return { subscriptions: rows.map((s) => ({ userId: s.userId, email: s.user.email ?? '', plan: s.plan, status: s.status, testMode: s.testMode, currentPeriodEnd: s.currentPeriodEnd?.toISOString() ?? null, cancelAtPeriodEnd: s.cancelAtPeriodEnd })) };
  });

  // ----- retention -----
  app.post('/api/admin/retention/run', { schema: { response: { 200: Type.Object({ warned: Type.Integer(), deleted: Type.Integer() }), ...errors } } }, async (request) => {
    const result = await retention.sweep();
    await audit(app.db, request, { action: 'admin.retention.run', details: result });
    return result;
  });

  // ----- the audit log -----
  app.get('/api/admin/audit', { schema: { querystring: AuditQuery, response: { 200: Type.Object({ entries: Type.Array(AuditEntry) }), ...errors } } }, async (request) => ({ entries: await auditEntries(app.db, request.query) }));
  app.get('/api/admin/audit.csv', { schema: { querystring: AuditQuery } }, async (request, reply) => {
    const entries = await auditEntries(app.db, { ...request.query, limit: request.query.limit ?? 500 });
    // Exporting the trail is itself on the trail.
    await audit(app.db, request, { action: 'admin.audit.export', details: { filter: request.query, rows: entries.length } });
    const lines = [AUDIT_CSV_COLUMNS.join(','), ...entries.map((e) => AUDIT_CSV_COLUMNS.map((c) => csvField(e[c])).join(','))];
    return reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="rehearse-audit.csv"').header('cache-control', 'private, no-store').send(`${lines.join('\r\n')}\r\n`);
  });
};

export default adminRoutes;
