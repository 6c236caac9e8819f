// Mentors: applying, a mentor's own profile, availability and payouts (mentor role only), and the
// public directory, profile pages, photos and free slots (no sign-in needed).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AvailabilityInput, Binary, CallMinutes, Earnings, ErrorBody, MentorProfile, MentorProfileInput, MentorReview, PaymentLink, SlotList } from '@rehearse/protocol';
import type { BookingPayments } from '../bookings/payments.ts';
import type { BookingService } from '../bookings/service.ts';
import { DIRECTORY_LIMIT } from '../limits.ts';
import { HttpError } from '../plugins/errors.ts';
import type { CallLength } from './availability.ts';
import { SLOT_HORIZON_DAYS, type MentorService } from './service.ts';

const MentorId = Type.Object({ id: Type.String({ format: 'uuid' }) });
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 429: ErrorBody, 502: ErrorBody };

const mentorRoutes: FastifyPluginAsyncTypebox<{ mentors: MentorService; bookings: BookingService; payments: BookingPayments }> = async (app, { mentors, bookings, payments }) => {
  const userId = (request: { session: { user: { id: string } } | null }) => request.session!.user.id;
  const publicRead = { rateLimit: { ...DIRECTORY_LIMIT, keyGenerator: (request: { ip: string }) => `directory:${request.ip}` } };

  // ---- the public side ----
  app.get(
    '/api/mentors',
    {
      config: publicRead,
      schema: {
        querystring: Type.Object(
          {
            q: Type.Optional(Type.String({ maxLength: 100 })),
            topic: Type.Optional(Type.String({ maxLength: 40 })),
            language: Type.Optional(Type.String({ maxLength: 35 })),
            maxPrice: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
            minutes: Type.Optional(CallMinutes),
            freeWithinDays: Type.Optional(Type.Integer({ minimum: 1, maximum: SLOT_HORIZON_DAYS })),
            /** Only mentors who review recorded answers. */
            reviews: Type.Optional(Type.Boolean()),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ mentors: Type.Array(MentorProfile) }), ...errors },
      },
    },
    async (request) => {
      const { q, topic, language, maxPrice, minutes, freeWithinDays, reviews } = request.query;
      return {
        mentors: await mentors.directory({
          q,
          topic: topic?.toLowerCase(),
          language,
          maxPriceCents: maxPrice,
          minutes: minutes as CallLength | undefined,
          freeBefore: freeWithinDays ? new Date(mentors.now().getTime() + freeWithinDays * 86_400_000) : undefined,
          reviews,
        }),
      };
    },
  );

  app.get('/api/mentors/:id', { config: publicRead, schema: { params: MentorId, response: { 200: Type.Object({ mentor: MentorProfile, reviews: Type.Array(MentorReview) }), ...errors } } }, async (request) => {
    const mentor = await mentors.present(request.params.id, true);
    // Applicants and suspended mentors are not public (their own page reads /api/mentor/profile).
    if (mentor.status !== 'approved') throw new HttpError(404, 'MENTOR_NOT_FOUND', 'No such mentor');
    return { mentor, reviews: await mentors.reviews(request.params.id) };
  });

  app.get('/api/mentors/:id/photo', { config: publicRead, schema: { params: MentorId, querystring: Type.Object({ v: Type.Optional(Type.String({ maxLength: 100 })) }), response: { 200: Binary, 304: Type.Null(), ...errors } } }, async (request, reply) => {
    const profile = await app.db.mentorProfile.findUnique({ where: { userId: request.params.id }, include: { user: { select: { avatarKey: true } } } });
    if (!profile || profile.status !== 'approved' || !profile.user.avatarKey) throw new HttpError(404, 'NO_PHOTO', 'No photo');
    return app.sendObject(request, reply, { key: profile.user.avatarKey, contentType: 'image/webp', maxAgeSeconds: 86_400 });
  });

  app.get(
    '/api/mentors/:id/slots',
    {
      config: publicRead,
      schema: {
        params: MentorId,
        querystring: Type.Object({ minutes: CallMinutes, from: Type.Optional(Type.String({ format: 'date-time' })), days: Type.Optional(Type.Integer({ minimum: 1, maximum: 31 })) }, { additionalProperties: false }),
        response: { 200: SlotList, ...errors },
      },
    },
    async (request) => {
      const now = mentors.now();
      const from = request.query.from ? new Date(request.query.from) : now;
      if (from.getTime() > now.getTime() + SLOT_HORIZON_DAYS * 86_400_000) throw new HttpError(400, 'TOO_FAR_AHEAD', `Slots are listed up to ${SLOT_HORIZON_DAYS} days ahead`);
      const to = new Date(Math.max(from.getTime(), now.getTime()) + (request.query.days ?? 14) * 86_400_000);
      const { profile, priceCents, slots } = await mentors.slots(request.params.id, request.query.minutes as CallLength, from, to, now);
      return { minutes: request.query.minutes, priceCents, currency: profile.currency, slots: slots.map((s) => ({ startsAt: s.startsAt.toISOString(), endsAt: s.endsAt.toISOString() })) };
    },
  );

  // ---- applying (any signed-up user) ----
  app.post('/api/mentor/apply', { preHandler: app.requireUser, schema: { body: MentorProfileInput, response: { 201: Type.Object({ mentor: MentorProfile }), ...errors } } }, async (request, reply) =>
    reply.status(201).send({ mentor: await mentors.apply(userId(request), request.body) }),
  );
  // The applicant's own view, whatever the status.
  app.get('/api/mentor/profile', { preHandler: app.requireUser, schema: { response: { 200: Type.Object({ mentor: MentorProfile }), ...errors } } }, async (request) => {
    const own = await app.db.mentorProfile.findUnique({ where: { userId: userId(request) } });
    if (!own) throw new HttpError(404, 'NOT_APPLIED', 'You have not applied to mentor');
    return { mentor: await mentors.present(userId(request)) };
  });

  // ---- the mentor's own (mentor role) ----
  const mentorOnly = app.requireRole('mentor');
  app.patch('/api/mentor/profile', { preHandler: mentorOnly, schema: { body: MentorProfileInput, response: { 200: Type.Object({ mentor: MentorProfile }), ...errors } } }, async (request) => ({ mentor: await mentors.update(userId(request), request.body) }));
  app.get('/api/mentor/availability', { preHandler: mentorOnly, schema: { response: { 200: AvailabilityInput, ...errors } } }, async (request) => mentors.availability(userId(request)));
  app.put('/api/mentor/availability', { preHandler: mentorOnly, schema: { body: AvailabilityInput, response: { 200: AvailabilityInput, ...errors } } }, async (request) => mentors.setAvailability(userId(request), request.body));

  app.post('/api/mentor/payouts/onboard', { preHandler: mentorOnly, schema: { response: { 200: PaymentLink, ...errors } } }, async (request) => {
    const { user } = request.session!;
    const profile = await app.db.mentorProfile.findUniqueOrThrow({ where: { userId: user.id } });
    const { accountId, url } = await payments.onboardingUrl({ id: user.id, email: user.email! }, profile.stripeAccountId);
    if (accountId !== profile.stripeAccountId) await app.db.mentorProfile.update({ where: { userId: user.id }, data: { stripeAccountId: accountId } });
    return { url, testMode: payments.mode === 'test' };
  });

  app.get('/api/mentor/earnings', { preHandler: mentorOnly, schema: { response: { 200: Earnings, ...errors } } }, async (request) => {
    const profile = await app.db.mentorProfile.findUniqueOrThrow({ where: { userId: userId(request) } });
    const fromStripe = profile.stripeAccountId ? await payments.earnings(profile.stripeAccountId) : { testMode: payments.mode === 'test', available: [], pending: [], payouts: [] };
    return { ...fromStripe, onboarded: profile.stripeAccountId !== null, payoutsEnabled: profile.payoutsEnabled, owed: await bookings.owed(profile.userId) };
  });
};

export default mentorRoutes;
