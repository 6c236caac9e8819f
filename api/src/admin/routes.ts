// The admin's side (admin role only): mentor applications, granting or revoking the role, and
// refunding a booked call (reversing the mentor's transfer if they were paid).
// (Users, reports, refunds and the audit log come with the admin area of the moderation work.)
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { BookingBody, ErrorBody, MentorProfile } from '@rehearse/protocol';
import type { BookingService } from '../bookings/service.ts';
import type { MentorService } from '../mentors/service.ts';
import { HttpError } from '../plugins/errors.ts';

const MentorId = Type.Object({ id: Type.String({ format: 'uuid' }) });
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

const adminRoutes: FastifyPluginAsyncTypebox<{ mentors: MentorService; bookings: BookingService }> = async (app, { mentors, bookings }) => {
  app.addHook('preHandler', app.requireRole('admin'));

  app.get('/api/admin/mentors', { schema: { querystring: Type.Object({ status: Type.Optional(Type.Union([Type.Literal('applied'), Type.Literal('approved'), Type.Literal('suspended')])) }, { additionalProperties: false }), response: { 200: Type.Object({ mentors: Type.Array(MentorProfile) }), ...errors } } }, async (request) => {
    const rows = await app.db.mentorProfile.findMany({ where: request.query.status ? { status: request.query.status } : {}, orderBy: { appliedAt: 'asc' }, take: 200, select: { userId: true } });
    return { mentors: await Promise.all(rows.map((r) => mentors.present(r.userId))) };
  });

  app.post('/api/admin/mentors/:id/approve', { schema: { params: MentorId, response: { 200: Type.Object({ mentor: MentorProfile }), ...errors } } }, async (request) => {
    const profile = await app.db.mentorProfile.findUnique({ where: { userId: request.params.id } });
    if (!profile) throw new HttpError(404, 'NOT_APPLIED', 'This user has not applied to mentor');
    await mentors.approve(profile.userId);
    return { mentor: await mentors.present(profile.userId) };
  });

  app.post('/api/admin/mentors/:id/suspend', { schema: { params: MentorId, response: { 200: Type.Object({ mentor: MentorProfile }), ...errors } } }, async (request) => {
    const profile = await app.db.mentorProfile.findUnique({ where: { userId: request.params.id } });
    if (!profile) throw new HttpError(404, 'NOT_APPLIED', 'This user has not applied to mentor');
    await mentors.suspend(profile.userId);
    return { mentor: await mentors.present(profile.userId) };
  });

  app.post(
    '/api/admin/bookings/:id/refund',
    { schema: { params: MentorId, body: Type.Object({ cents: Type.Optional(Type.Integer({ minimum: 1 })) }, { additionalProperties: false }), response: { 200: BookingBody, ...errors } } },
    async (request) => ({ booking: await bookings.refundByAdmin(request.params.id, request.body.cents) }),
  );
};

export default adminRoutes;
