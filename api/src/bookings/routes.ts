// Booked calls: hold a slot, pay (Stripe Checkout, or the labelled local test mode), list, read,
// cancel, review, the calendar invite; the test mode's checkout and mentor onboarding.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { BookingBody, BookingInput, Booking, ErrorBody, PaymentLink, ReviewInput } from '@rehearse/protocol';
import { deliverTestEvent } from '../billing/testEvents.ts';
import type { Billing } from '../billing/stripe.ts';
import { BOOKING_LIMIT } from '../limits.ts';
import { HttpError } from '../plugins/errors.ts';
import { bookingInvite } from './invite.ts';
import { paymentPlan } from './policy.ts';
import type { BookingService } from './service.ts';

const BookingId = Type.Object({ id: Type.String({ format: 'uuid' }) });
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 429: ErrorBody, 502: ErrorBody };

const bookingRoutes: FastifyPluginAsyncTypebox<{ bookings: BookingService; billing: Billing; mailFrom: string; publicUrl: string }> = async (app, { bookings, billing, mailFrom, publicUrl }) => {
  app.addHook('preHandler', app.requireUser);
  const userId = (request: { session: { user: { id: string } } | null }) => request.session!.user.id;

  app.post(
    '/api/bookings',
    { config: { rateLimit: { ...BOOKING_LIMIT, keyGenerator: (request) => `bookings:${request.session?.user.id ?? request.ip}` } }, schema: { body: BookingInput, response: { 201: BookingBody, ...errors } } },
    async (request, reply) => reply.status(201).send({ booking: await bookings.hold(userId(request), request.body) }),
  );
  app.get('/api/bookings', { schema: { response: { 200: Type.Object({ bookings: Type.Array(Booking) }), ...errors } } }, async (request) => ({ bookings: await bookings.list(userId(request)) }));
  app.get('/api/bookings/:id', { schema: { params: BookingId, response: { 200: BookingBody, ...errors } } }, async (request) => ({ booking: await bookings.view(userId(request), request.params.id) }));
  app.post('/api/bookings/:id/checkout', { schema: { params: BookingId, response: { 200: PaymentLink, ...errors } } }, async (request) => ({
    url: await bookings.checkout(userId(request), request.params.id),
    testMode: billing.mode === 'test',
  }));
  app.post('/api/bookings/:id/cancel', { schema: { params: BookingId, response: { 200: BookingBody, ...errors } } }, async (request) => ({ booking: await bookings.cancel(userId(request), request.params.id) }));
  app.post(
    '/api/bookings/:id/reschedule',
    { config: { rateLimit: { ...BOOKING_LIMIT, keyGenerator: (request) => `bookings:${request.session?.user.id ?? request.ip}` } }, schema: { params: BookingId, body: Type.Object({ startsAt: Type.String({ format: 'date-time' }) }, { additionalProperties: false }), response: { 200: BookingBody, ...errors } } },
    async (request) => ({ booking: await bookings.reschedule(userId(request), request.params.id, request.body.startsAt) }),
  );
  app.post('/api/bookings/:id/review', { schema: { params: BookingId, body: ReviewInput, response: { 204: Type.Null(), ...errors } } }, async (request, reply) => {
    await bookings.review(userId(request), request.params.id, request.body);
    return reply.status(204).send(null);
  });

  // The call as a calendar file (the same UID and sequence as the mailed invites).
  app.get('/api/bookings/:id/invite.ics', { schema: { params: BookingId } }, async (request, reply) => {
    const b = await bookings.view(userId(request), request.params.id);
    const row = await app.db.booking.findUniqueOrThrow({ where: { id: b.id }, select: { icsSequence: true, seeker: { select: { email: true } }, mentor: { select: { user: { select: { email: true } } } } } });
    const invite = bookingInvite({
      bookingId: b.id,
      sequence: row.icsSequence,
      mentorEmail: row.mentor.user.email,
      seekerEmail: row.seeker.email,
      startsAt: new Date(b.startsAt),
      endsAt: new Date(b.endsAt),
      mentorName: b.mentor.name,
      seekerName: b.seeker.name,
      // The site's own address, never the request's Host or Origin (which a client chooses).
      url: new URL(`/bookings/${b.id}`, publicUrl).href,
      organizerEmail: mailFrom.replace(/^.*<([^>]+)>.*$/, '$1'),
      canceled: b.status === 'canceled',
    });
    return reply.type('text/calendar; charset=utf-8').header('content-disposition', `attachment; filename="rehearse-call-${b.id}.ics"`).send(invite.content);
  });

  // ---- the local test mode (no Stripe keys): checkout completes through a locally signed event ----
  app.post('/api/bookings/:id/test-checkout/complete', { schema: { params: BookingId, response: { 200: BookingBody, ...errors } } }, async (request) => {
    if (billing.mode !== 'test') throw new HttpError(404, 'NOT_FOUND', 'Payments run on Stripe here');
    const id = request.params.id;
    // The same checks as a real checkout (the seeker's own, still held).
    await bookings.checkout(userId(request), id);
    const b = await bookings.view(userId(request), id);
    const mode = paymentPlan({ startsAt: new Date(b.startsAt), endsAt: new Date(b.endsAt) }, bookings.now()).kind === 'pay_now' ? 'payment' : 'setup';
    await deliverTestEvent(app, billing, 'checkout.session.completed', {
      id: `cs_test_${crypto.randomUUID().replaceAll('-', '')}`,
      object: 'checkout.session',
      mode,
      payment_status: mode === 'payment' ? 'paid' : 'no_payment_required',
      subscription: null,
      customer: `cus_test_${userId(request).replaceAll('-', '')}`,
      payment_intent: mode === 'payment' ? `pi_test_${crypto.randomUUID().replaceAll('-', '')}` : null,
      setup_intent: mode === 'setup' ? `seti_test_${crypto.randomUUID().replaceAll('-', '')}` : null,
      metadata: { bookingId: id, userId: userId(request), testMode: 'true' },
    });
    return { booking: await bookings.view(userId(request), id) };
  });

  app.post('/api/mentor/payouts/test-onboarding/complete', { preHandler: app.requireRole('mentor'), schema: { response: { 200: Type.Object({ payoutsEnabled: Type.Boolean() }), ...errors } } }, async (request) => {
    if (billing.mode !== 'test') throw new HttpError(404, 'NOT_FOUND', 'Payouts run on Stripe here');
    const profile = await app.db.mentorProfile.findUniqueOrThrow({ where: { userId: userId(request) } });
    if (!profile.stripeAccountId) throw new HttpError(409, 'ONBOARDING_NOT_STARTED', 'Start payout onboarding first');
    await deliverTestEvent(app, billing, 'account.updated', { id: profile.stripeAccountId, object: 'account', payouts_enabled: true, charges_enabled: false, metadata: { userId: profile.userId, testMode: 'true' } });
    return { payoutsEnabled: true };
  });
};

export default bookingRoutes;
